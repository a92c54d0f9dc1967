// The plan room's controls against simulated 3-node clusters and the real worker loop, checked
// against the simulator's own record of what ran on each node: "Pause after this node" finishes
// the node in flight and touches no other [O7], resume goes on; "Retry node" runs only that
// node's failed step again.
import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startConsoleFixture, type ConsoleFixture } from "@/lib/testing/console-fixture";
import { startEnrolledCluster, type EnrolledCluster } from "@/lib/testing/enrolled-cluster";
import { waitForPlanState } from "@/lib/testing/in-process-worker";
import { createPlan } from "@/lib/plans/create-plan";
import { confirmBackup } from "@/lib/plans/confirm-backup";
import { launchPlan } from "@/lib/plans/launch-plan";
import { resumePlan, retryNode } from "@/lib/plans/control-plan";
import { setPauseAfterNode } from "@/lib/plans/pause-after-node";
import { eventually } from "@/simulator/testing/cluster-harness";

const V11 = "2.11.0+13003";
const DONE = new Set(["succeeded", "skipped"]);
let f: ConsoleFixture;
const clusters: EnrolledCluster[] = [];

const upgradesOn = (n: EnrolledCluster["nodes"][number]) => n.sim.record.filter((r) => r.what.includes("ks_upgrade.sh")).map((r) => r.seq);
const stepsOf = (planId: string) => f.env.db.step.findMany({ where: { planId }, orderBy: { position: "asc" } });
const noStepRunning = (planId: string) => eventually("no step running", async () => ((await f.env.db.step.count({ where: { planId, state: "running" } })) === 0 ? true : undefined), 30_000, 100);

async function readyPlan(c: EnrolledCluster) {
  const plan = await createPlan(f.env.db, f.actor, { clusterId: c.clusterId, targetVersion: V11, method: "online-rolling" });
  await confirmBackup(f.env.db, f.actor, plan.id);
  return plan;
}

beforeAll(async () => {
  f = await startConsoleFixture("plan_room_controls", { archives: [V11] });
});

afterAll(async () => {
  await Promise.all(clusters.map((c) => c.fleet.stop()));
  await f?.stop();
});

describe("plan room controls", () => {
  it("[O7] pause after this node: node 1 is finished, nodes 2 and 3 never run ks_upgrade.sh; resume finishes the cluster", async () => {
    // Node 1 is slow to come back, so the request surely lands while its upgrade is in flight.
    const c = await startEnrolledCluster(f.env.db, f.env.dataDir, "pr-pause", { nodes: [{ faults: { slowReturn: 1500 } }, {}, {}] });
    clusters.push(c);
    const [n1, n2, n3] = c.nodes;
    const plan = await readyPlan(c);
    await expect(setPauseAfterNode(f.env.db, f.actor, plan.id, true)).rejects.toThrow(/^Only a running plan can pause after its current node; this one is (draft|prechecked|ready)\.$/);
    await launchPlan(f.env.db, f.actor, plan.id);
    await eventually("node 1's upgrade has begun", async () => {
      const s = await f.env.db.step.findFirstOrThrow({ where: { planId: plan.id, applianceId: n1!.applianceId, kind: "run-upgrade" } });
      return s.state === "running" || s.state === "succeeded" ? true : undefined;
    }, 60_000, 50);

    const asked = await setPauseAfterNode(f.env.db, f.actor, plan.id, true);
    expect(asked.note).toBe("Finishes pr-pause-1, then stops before pr-pause-2, pr-pause-3.");
    await expect(setPauseAfterNode(f.env.db, f.actor, plan.id, true)).rejects.toThrow("A pause after the current node is already asked for.");
    expect(await waitForPlanState(f.env.db, plan.id, ["paused", "failed", "succeeded"], 120_000)).toBe("paused");
    await noStepRunning(plan.id);

    const paused = await f.env.db.upgradePlan.findUniqueOrThrow({ where: { id: plan.id } });
    expect(paused.stateReason).toBe("Paused after the current node, as an operator asked. Upgraded: pr-pause-1. Not touched: pr-pause-2, pr-pause-3. Resume the plan to go on, or abort it.");
    expect(paused.pauseAfterNode).toBe(true);
    // The simulator's record: node 1 upgraded once and back on 2.11; nodes 2 and 3 never ran the script nor rebooted.
    expect(n1!.sim.state.version).toBe(V11);
    expect(upgradesOn(n1!)).toHaveLength(1);
    for (const n of [n2!, n3!]) {
      expect(upgradesOn(n)).toEqual([]);
      expect(n.sim.record.some((r) => r.what.includes("reboot"))).toBe(false);
      expect(n.sim.state.version).toBe("2.10.0+12807");
    }
    const steps = await stepsOf(plan.id);
    expect(steps.filter((s) => s.applianceId === n1!.applianceId).every((s) => DONE.has(s.state))).toBe(true);
    expect(steps.filter((s) => s.kind === "run-upgrade").map((s) => s.state)).toEqual(["succeeded", "pending", "pending"]);
    // Paused, the plan still holds every node: nothing else may touch the cluster meanwhile.
    expect((await f.env.db.applianceLock.findMany({ where: { planId: plan.id } })).map((l) => l.applianceId).sort()).toEqual(c.nodes.map((n) => n.applianceId).sort());
    const audit = await f.env.db.auditEvent.findMany({ where: { subjectId: plan.id, action: { in: ["plan-pause-after-node-requested", "plan-paused"] } }, orderBy: { at: "asc" } });
    expect(audit.map((a) => [a.action, a.actorName])).toEqual([["plan-pause-after-node-requested", f.actor.name], ["plan-paused", "system"]]);

    await resumePlan(f.env.db, f.actor, plan.id);
    expect((await f.env.db.upgradePlan.findUniqueOrThrow({ where: { id: plan.id } })).pauseAfterNode).toBe(false);
    expect(await waitForPlanState(f.env.db, plan.id, ["succeeded", "failed", "paused"], 120_000)).toBe("succeeded");
    const [s1, s2, s3] = c.nodes.map((n) => upgradesOn(n));
    expect([s1, s2, s3].map((s) => s!.length)).toEqual([1, 1, 1]);
    expect(s1![0]! < s2![0]! && s2![0]! < s3![0]!).toBe(true);
    expect(c.nodes.map((n) => n.sim.state.version)).toEqual([V11, V11, V11]);
  });

  it("retry node runs only that node's failed step again, then the plan goes on; other nodes are refused with the reason", async () => {
    const c = await startEnrolledCluster(f.env.db, f.env.dataDir, "pr-retry", { nodes: [{}, { faults: { upgradeFails: true } }, {}] });
    clusters.push(c);
    const [n1, n2] = c.nodes;
    const plan = await readyPlan(c);
    await launchPlan(f.env.db, f.actor, plan.id);
    expect(await waitForPlanState(f.env.db, plan.id, ["succeeded", "failed"], 120_000)).toBe("failed");
    await noStepRunning(plan.id);
    const before = await stepsOf(plan.id);
    expect(before.filter((s) => s.state === "failed").map((s) => [s.kind, s.applianceId])).toEqual([["run-upgrade", n2!.applianceId]]);

    await expect(retryNode(f.env.db, f.actor, plan.id, n1!.applianceId)).rejects.toThrow("Not retried: Nothing failed on pr-retry-1.");
    await expect(retryNode(f.env.db, f.actor, plan.id, crypto.randomUUID())).rejects.toThrow("Not retried: This appliance is not a node of the plan.");
    await n2!.sim.setFaults({ upgradeFails: false });
    await retryNode(f.env.db, f.actor, plan.id, n2!.applianceId);
    expect(await waitForPlanState(f.env.db, plan.id, ["succeeded", "failed", "paused"], 120_000)).toBe("succeeded");

    const after = new Map((await stepsOf(plan.id)).map((s) => [s.key, s]));
    // Every step that had ended before the retry kept its one run: same attempts, same start.
    const ended = before.filter((s) => DONE.has(s.state));
    expect(ended.length).toBeGreaterThan(8);
    for (const s of ended) expect([s.key, after.get(s.key)!.attempts, after.get(s.key)!.startedAt]).toEqual([s.key, s.attempts, s.startedAt]);
    const failed = before.find((s) => s.state === "failed")!;
    expect(after.get(failed.key)!.attempts).toBe(failed.attempts + 1);
    expect(after.get(failed.key)!.state).toBe("succeeded");
    expect(c.nodes.map((n) => upgradesOn(n).length)).toEqual([1, 2, 1]);
    const audit = await f.env.db.auditEvent.findFirstOrThrow({ where: { subjectId: plan.id, action: "plan-node-retried" } });
    expect(audit.data).toMatchObject({ applianceId: n2!.applianceId, steps: [failed.key] });
    await expect(retryNode(f.env.db, f.actor, plan.id, n2!.applianceId)).rejects.toThrow("Not retried: Only a failed or paused plan can retry a node; this one is succeeded.");
  });
});

// A cluster run that fails stops truthfully [O7]: at the first failing step, with the appliance's
// words, nothing started after it, nothing left running, every node still locked to the plan.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startConsoleFixture, type ConsoleFixture } from "@/lib/testing/console-fixture";
import { startEnrolledCluster, type EnrolledCluster } from "@/lib/testing/enrolled-cluster";
import { waitForPlanState } from "@/lib/testing/in-process-worker";
import { createPlan } from "@/lib/plans/create-plan";
import { confirmBackup } from "@/lib/plans/confirm-backup";
import { launchPlan } from "@/lib/plans/launch-plan";
import { resumePlan } from "@/lib/plans/control-plan";
import { eventually } from "@/simulator/testing/cluster-harness";

const V10 = "2.10.0+12807";
const V11 = "2.11.0+13003";
let f: ConsoleFixture;
const clusters: EnrolledCluster[] = [];

const upgradesOn = (n: EnrolledCluster["nodes"][number]) => n.sim.record.filter((r) => r.what.includes("ks_upgrade.sh"));

beforeAll(async () => {
  f = await startConsoleFixture("cluster_failures", { archives: [V11] });
});

afterAll(async () => {
  await Promise.all(clusters.map((c) => c.fleet.stop()));
  await f?.stop();
});

describe("cluster failures", () => {
  it("[O7] stops at the first failure: node 2's upgrade fails, node 1 stays upgraded, node 3 is never upgraded, the locks are kept", async () => {
    const c = await startEnrolledCluster(f.env.db, f.env.dataDir, "fl-roll", { nodes: [{}, { faults: { upgradeFails: true } }, {}] });
    clusters.push(c);
    const [n1, n2, n3] = c.nodes;
    const plan = await createPlan(f.env.db, f.actor, { clusterId: c.clusterId, targetVersion: V11, method: "online-rolling" });
    await confirmBackup(f.env.db, f.actor, plan.id);
    await launchPlan(f.env.db, f.actor, plan.id);
    expect(await waitForPlanState(f.env.db, plan.id, ["succeeded", "failed"], 120_000)).toBe("failed");
    // Uploads may run ahead of the rolling gate; whatever was in flight must end, and nothing new start.
    await eventually("no step running", async () => ((await f.env.db.step.count({ where: { planId: plan.id, state: "running" } })) === 0 ? true : undefined), 20_000, 200);

    const row = await f.env.db.upgradePlan.findUniqueOrThrow({ where: { id: plan.id }, include: { steps: { orderBy: { position: "asc" } } } });
    expect(row.state).toBe("failed");
    const failed = row.steps.filter((s) => s.state === "failed");
    expect(failed.map((s) => [s.kind, s.applianceId])).toEqual([["run-upgrade", n2!.applianceId]]);
    expect(failed[0]!.outcome).toMatch(/^ks_upgrade\.sh exited 1: /);
    expect(row.stateReason).toBe(`${failed[0]!.title} failed: ${failed[0]!.outcome}`);
    const events = await f.env.db.planEvent.findMany({ where: { planId: plan.id, type: "plan-state" }, orderBy: { seq: "asc" } });
    expect(events.at(-1)!.data).toMatchObject({ state: "failed", reason: row.stateReason });

    // Node 1 finished before node 2 started [O7]; node 2 stays where it was; node 3 was never upgraded.
    expect(n1!.sim.state.version).toBe(V11);
    expect(row.steps.filter((s) => s.applianceId === n1!.applianceId).every((s) => s.state === "succeeded" || s.state === "skipped")).toBe(true);
    expect(n2!.sim.state.version).toBe(V10);
    expect(upgradesOn(n2!)).toHaveLength(1);
    expect(row.steps.filter((s) => s.applianceId === n2!.applianceId && ["reboot", "wait-return", "postcheck"].includes(s.kind)).map((s) => s.state)).toEqual(["pending", "pending", "pending"]);
    expect(n3!.sim.state.version).toBe(V10);
    expect(upgradesOn(n3!)).toEqual([]);
    expect(n3!.sim.record.some((r) => r.what.includes("reboot"))).toBe(false);
    const n3Steps = row.steps.filter((s) => s.applianceId === n3!.applianceId);
    expect(n3Steps.filter((s) => !["upload-archive", "verify-upload"].includes(s.kind)).map((s) => s.state)).toEqual(
      n3Steps.filter((s) => !["upload-archive", "verify-upload"].includes(s.kind)).map(() => "pending"),
    );
    expect(n3Steps.find((s) => s.kind === "run-upgrade")?.state).toBe("pending");

    // The plan keeps every node locked: it is resumable, and no other plan may touch the cluster meanwhile.
    const locks = await f.env.db.applianceLock.findMany({ where: { planId: plan.id } });
    expect(locks.map((l) => l.applianceId).sort()).toEqual(c.nodes.map((n) => n.applianceId).sort());
    const other = await createPlan(f.env.db, f.actor, { clusterId: c.clusterId, targetVersion: V11, method: "online-rolling" });
    await confirmBackup(f.env.db, f.actor, other.id);
    await expect(launchPlan(f.env.db, f.actor, other.id)).rejects.toThrow(`Another plan (${plan.id}) is active on a node of this cluster`);

    // Resumed once the cause is gone, it finishes from where it stopped: node 1 is not upgraded again.
    await n2!.sim.setFaults({ upgradeFails: false });
    await resumePlan(f.env.db, f.actor, plan.id);
    expect(await waitForPlanState(f.env.db, plan.id, ["succeeded", "failed"], 120_000)).toBe("succeeded");
    expect(c.nodes.map((n) => n.sim.state.version)).toEqual([V11, V11, V11]);
    expect(c.nodes.map((n) => upgradesOn(n).length)).toEqual([1, 2, 1]);
    await eventually("locks released", async () => ((await f.env.db.applianceLock.count({ where: { planId: plan.id } })) === 0 ? true : undefined), 5_000, 100);
  });
});

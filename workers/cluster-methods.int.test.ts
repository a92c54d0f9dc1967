// Every cluster method of the procedure end to end against simulated 3-node clusters, checked
// against the simulator's own record of what ran on each node.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startConsoleFixture, type ConsoleFixture } from "@/lib/testing/console-fixture";
import { startEnrolledCluster, type EnrolledCluster } from "@/lib/testing/enrolled-cluster";
import { createPlan } from "@/lib/plans/create-plan";
import { confirmBackup } from "@/lib/plans/confirm-backup";
import { launchPlan } from "@/lib/plans/launch-plan";
import { confirmStep } from "@/lib/plans/confirm-step";

let f: ConsoleFixture;
const clusters: EnrolledCluster[] = [];

/** Confirms every confirmation step as it comes, until the plan ends. */
async function runToEnd(planId: string, timeoutMs = 120_000): Promise<string> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const plan = await f.env.db.upgradePlan.findUniqueOrThrow({ where: { id: planId }, include: { steps: true } });
    if (["succeeded", "failed", "aborted"].includes(plan.state)) return plan.state;
    for (const s of plan.steps.filter((x) => x.state === "waiting")) await confirmStep(f.env.db, f.actor, planId, s.key, "confirmed by the test");
    if (Date.now() > end) throw new Error(`plan still ${plan.state} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

function upgradesOn(c: EnrolledCluster) {
  return c.nodes.map((n) => n.sim.record.filter((r) => r.what.includes("ks_upgrade.sh")).map((r) => r.seq ?? 0));
}

beforeAll(async () => {
  f = await startConsoleFixture("clusters", { archives: ["2.11.0+13003"] });
});

afterAll(async () => {
  await Promise.all(clusters.map((c) => c.fleet.stop()));
  await f?.stop();
});

describe("cluster methods", () => {
  it("[M1][O5][O6][O7] online in-place upgrades one node at a time, each exactly once, in order", async () => {
    const c = await startEnrolledCluster(f.env.db, f.env.dataDir, "cm-roll");
    clusters.push(c);
    const plan = await createPlan(f.env.db, f.actor, { clusterId: c.clusterId, targetVersion: "2.11.0+13003", method: "online-rolling" });
    await confirmBackup(f.env.db, f.actor, plan.id);
    await launchPlan(f.env.db, f.actor, plan.id);
    expect(await runToEnd(plan.id)).toBe("succeeded");
    const seqs = upgradesOn(c);
    expect(seqs.map((s) => s.length)).toEqual([1, 1, 1]);
    expect(seqs[0]![0]! < seqs[1]![0]! && seqs[1]![0]! < seqs[2]![0]!).toBe(true);
    expect(c.nodes.every((n) => n.sim.state.version === "2.11.0+13003")).toBe(true);
  });

  it("[O3] warns about the database lock before the first node only", async () => {
    const plan = await f.env.db.upgradePlan.findFirstOrThrow({ where: { method: "online-rolling", state: "succeeded" } });
    const warnings = await f.env.db.planEvent.findMany({ where: { planId: plan.id, type: "warning" } });
    expect(warnings).toHaveLength(1);
    expect(JSON.stringify(warnings[0]!.data)).toContain("locked for up to 30 seconds");
  });

  it("[M2][F10][F11][F12] offline in-place: prepare on all nodes, confirm, REST off, upgrade each, REST back", async () => {
    const c = await startEnrolledCluster(f.env.db, f.env.dataDir, "cm-off");
    clusters.push(c);
    const plan = await createPlan(f.env.db, f.actor, { clusterId: c.clusterId, targetVersion: "2.11.0+13003", method: "offline-in-place" });
    await confirmBackup(f.env.db, f.actor, plan.id);
    await f.openWindow(plan.id);
    await launchPlan(f.env.db, f.actor, plan.id);
    expect(await runToEnd(plan.id)).toBe("succeeded");
    expect(upgradesOn(c).map((s) => s.length)).toEqual([1, 1, 1]);
    for (const n of c.nodes) {
      const what = n.sim.record.map((r) => r.what);
      const stop = what.findIndex((w) => w.includes("systemctl stop api-gateway"));
      const upgrade = what.findIndex((w) => w.includes("ks_upgrade.sh"));
      const start = what.findIndex((w) => w.includes("systemctl start api-gateway"));
      expect(stop).toBeGreaterThanOrEqual(0);
      expect(stop < upgrade && upgrade < start).toBe(true);
    }
    const confirms = await f.env.db.step.findMany({ where: { planId: plan.id, kind: "operator-confirm" } });
    expect(confirms.map((s) => s.state)).toEqual(confirms.map(() => "succeeded"));
  });

  it("[M3][R4][R5][R7][R9][R10] remove/rebuild: remove two nodes, upgrade all, rebuild the cluster", async () => {
    const c = await startEnrolledCluster(f.env.db, f.env.dataDir, "cm-reb");
    clusters.push(c);
    const plan = await createPlan(f.env.db, f.actor, { clusterId: c.clusterId, targetVersion: "2.11.0+13003", method: "remove-rebuild" });
    await confirmBackup(f.env.db, f.actor, plan.id);
    await f.openWindow(plan.id);
    await launchPlan(f.env.db, f.actor, plan.id);
    expect(await runToEnd(plan.id, 180_000)).toBe("succeeded");
    expect(upgradesOn(c).map((s) => s.length)).toEqual([1, 1, 1]);
    const [keeper, ...others] = c.nodes;
    expect(keeper!.sim.record.some((r) => r.what.includes("ksctl cluster delete"))).toBe(true);
    for (const o of others) expect(o.sim.record.some((r) => r.what.includes("ksctl cluster delete"))).toBe(true);
    const nodes = await fetchNodes(c);
    expect(nodes.map((n) => n.status.code)).toEqual(["r", "r", "r"]);
  });
});

async function fetchNodes(c: EnrolledCluster) {
  const { loadApplianceAccess } = await import("@/lib/fleet/appliance-access");
  const { createRestClient } = await import("@/lib/appliance/rest-client");
  const access = await loadApplianceAccess(f.env.db, c.nodes[0]!.applianceId);
  return createRestClient(access.endpoint, access.credentials, access.trust).nodes();
}

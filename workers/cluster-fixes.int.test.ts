// The seed's remedies offered as fixes and applied only when an operator asks [O6][F5][F8].
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startConsoleFixture, type ConsoleFixture } from "@/lib/testing/console-fixture";
import { startEnrolledCluster, type EnrolledCluster } from "@/lib/testing/enrolled-cluster";
import { createPlan } from "@/lib/plans/create-plan";
import { applyFix } from "@/lib/plans/apply-fix";

let f: ConsoleFixture;
let c: EnrolledCluster;

beforeAll(async () => {
  f = await startConsoleFixture("fixes", { archives: ["2.11.0+13003"], worker: false });
  c = await startEnrolledCluster(f.env.db, f.env.dataDir, "cm-fix");
});

afterAll(async () => {
  await c?.fleet.stop();
  await f?.stop();
});

describe("fixes for failed prechecks", () => {
  it("[O6][F5] offers to remove a node that is down, removes it only when asked, and closes the stale plan", async () => {
    const gone = c.nodes[2]!;
    await gone.sim.setFaults({ down: true });
    const plan = await createPlan(f.env.db, f.actor, { clusterId: c.clusterId, targetVersion: "2.11.0+13003", method: "online-rolling" });
    const status = await f.env.db.precheck.findFirstOrThrow({ where: { planId: plan.id, checkId: "node-status", applianceId: gone.applianceId } });
    expect(status.status).toBe("fail");
    expect(status.remedy).toMatch(/rejoin/i);
    expect((await f.env.db.upgradePlan.findUniqueOrThrow({ where: { id: plan.id } })).state).toBe("draft");

    await applyFix(f.env.db, f.actor, plan.id, { fix: "remove-obsolete-node", applianceId: gone.applianceId });
    const closed = await f.env.db.upgradePlan.findUniqueOrThrow({ where: { id: plan.id } });
    expect(closed.state).toBe("aborted");
    expect(closed.stateReason).toMatch(/removed from the cluster as obsolete/);
    expect((await f.env.db.appliance.findUniqueOrThrow({ where: { id: gone.applianceId } })).clusterId).toBeNull();

    const again = await createPlan(f.env.db, f.actor, { clusterId: c.clusterId, targetVersion: "2.11.0+13003", method: "online-rolling" });
    expect((again.nodes as unknown[]).length).toBe(2);
    const failing = await f.env.db.precheck.findMany({ where: { planId: again.id, status: "fail", NOT: { checkId: "backup" } } });
    expect(failing.map((f) => `${f.checkId}: ${f.summary}`)).toEqual([]);
  });

  it("refuses to remove a ready node", async () => {
    const plan = await createPlan(f.env.db, f.actor, { clusterId: c.clusterId, targetVersion: "2.11.0+13003", method: "online-rolling" });
    await expect(applyFix(f.env.db, f.actor, plan.id, { fix: "remove-obsolete-node", applianceId: c.nodes[1]!.applianceId })).rejects.toThrow(/is ready/);
  });
});

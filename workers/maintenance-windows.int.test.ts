// Methods with downtime or a wipe run only inside an approved window: approved by someone other
// than the requester, started at its opening when scheduled, paused truthfully when it closes.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startConsoleFixture, type ConsoleFixture } from "@/lib/testing/console-fixture";
import { startEnrolledAppliance, type EnrolledSimulator } from "@/lib/testing/simulated-appliance";
import { waitForPlanState, waitForStepState } from "@/lib/testing/in-process-worker";
import { createPlan } from "@/lib/plans/create-plan";
import { confirmBackup } from "@/lib/plans/confirm-backup";
import { launchPlan } from "@/lib/plans/launch-plan";
import { confirmStep } from "@/lib/plans/confirm-step";
import { decideWindow, requestWindow } from "@/lib/windows/windows";
import { startEnrolledCluster, type EnrolledCluster } from "@/lib/testing/enrolled-cluster";

let f: ConsoleFixture;
const sims: EnrolledSimulator[] = [];
let cluster: EnrolledCluster | undefined;

async function downgradePlan(name: string) {
  const cm = await startEnrolledAppliance(f.env.db, f.env.dataDir, { name, version: "2.11.0+13003" });
  sims.push(cm);
  const plan = await createPlan(f.env.db, f.actor, { applianceId: cm.applianceId, targetVersion: "2.10.0+12807", method: "downgrade", acknowledgement: `DOWNGRADE ${name}` });
  await confirmBackup(f.env.db, f.actor, plan.id);
  return { cm, plan };
}

beforeAll(async () => {
  f = await startConsoleFixture("windows", { deadlineScale: 0.02, archives: ["2.10.0+12807", "2.11.0+13003"] });
});

afterAll(async () => {
  await Promise.all(sims.map((s) => s.sim.stop()));
  await cluster?.fleet.stop();
  await f?.stop();
});

describe("maintenance windows", () => {
  it("[F2][D5] refuses to launch without an approved window; the requester cannot approve their own", async () => {
    const { plan } = await downgradePlan("cm-w1");
    await expect(launchPlan(f.env.db, f.actor, plan.id)).rejects.toThrow(/only inside an approved maintenance window/);
    const w = await requestWindow(f.env.db, f.actor, { planId: plan.id, startsAt: new Date(), endsAt: new Date(Date.now() + 3600_000), reason: "lab reset" });
    await expect(launchPlan(f.env.db, f.actor, plan.id)).rejects.toThrow(/requested; it must be approved/);
    await expect(decideWindow(f.env.db, { ...f.actor, role: "admin" }, w.id, { decision: "approve", comment: "" })).rejects.toThrow(/another approver/);
    const audit = await f.env.db.auditEvent.findMany({ where: { action: "window-requested", subjectId: plan.id } });
    expect(audit).toHaveLength(1);
  });

  it("starts a scheduled plan when its window opens", async () => {
    const { plan } = await downgradePlan("cm-w2");
    const approver = await f.env.db.user.findUniqueOrThrow({ where: { email: "approver@test.local" } });
    const w = await requestWindow(f.env.db, f.actor, { planId: plan.id, startsAt: new Date(Date.now() + 2_000), endsAt: new Date(Date.now() + 3600_000), reason: "tonight" });
    await decideWindow(f.env.db, { type: "user", id: approver.id, name: approver.email, role: "approver" }, w.id, { decision: "approve", comment: "fine" });
    await expect(launchPlan(f.env.db, f.actor, plan.id)).rejects.toThrow(/opens at/);
    await launchPlan(f.env.db, f.actor, plan.id, { schedule: true });
    expect((await f.env.db.upgradePlan.findUniqueOrThrow({ where: { id: plan.id } })).scheduled).toBe(true);
    expect(await waitForPlanState(f.env.db, plan.id, ["running"], 15_000)).toBe("running");
    const launched = await f.env.db.upgradePlan.findUniqueOrThrow({ where: { id: plan.id } });
    expect(launched.launchedBy).toMatch(/window opened/);
  });

  it("[F2] pauses when the window closes mid-run: nothing new starts, and the reason says so", async () => {
    const { cm, plan } = await downgradePlan("cm-w3");
    await f.openWindow(plan.id, 0.15);
    await launchPlan(f.env.db, f.actor, plan.id);
    await waitForStepState(f.env.db, plan.id, "plan:operator-confirm:wipe-test-only:hop1", "waiting");
    expect(await waitForPlanState(f.env.db, plan.id, ["paused"], 30_000)).toBe("paused");
    await confirmStep(f.env.db, f.actor, plan.id, "plan:operator-confirm:wipe-test-only:hop1", "too late");
    await new Promise((r) => setTimeout(r, 2_000));
    const row = await f.env.db.upgradePlan.findUniqueOrThrow({ where: { id: plan.id } });
    expect(row.state).toBe("paused");
    expect(row.stateReason).toMatch(/window closed/);
    expect(cm.sim.record.filter((r) => r.what.includes("ks_downgrade.sh"))).toHaveLength(0);
    expect(await f.env.db.step.count({ where: { planId: plan.id, state: "running" } })).toBe(0);
  });

  it("[M2][F6][F7] offline in-place prepares every node before its window, then upgrades once the window opens", async () => {
    cluster = await startEnrolledCluster(f.env.db, f.env.dataDir, "cm-prep");
    const plan = await createPlan(f.env.db, f.actor, { clusterId: cluster.clusterId, targetVersion: "2.11.0+13003", method: "offline-in-place" });
    await confirmBackup(f.env.db, f.actor, plan.id);
    await launchPlan(f.env.db, f.actor, plan.id);
    await waitForStepState(f.env.db, plan.id, "plan:operator-confirm:nodes-confirmed:hop1", "waiting");
    await confirmStep(f.env.db, f.actor, plan.id, "plan:operator-confirm:nodes-confirmed:hop1", "these are all the nodes");
    expect(await waitForPlanState(f.env.db, plan.id, ["paused"], 60_000)).toBe("paused");
    const prepared = await f.env.db.upgradePlan.findUniqueOrThrow({ where: { id: plan.id } });
    expect(prepared.stateReason).toMatch(/^Prepared: the archive is on cm-prep-1, cm-prep-2, cm-prep-3/);
    for (const n of cluster.nodes) {
      expect(n.sim.record.some((r) => r.channel === "sftp")).toBe(true);
      expect(n.sim.record.some((r) => r.what.includes("ks_upgrade.sh"))).toBe(false);
    }
    await f.openWindow(plan.id);
    await waitForStepState(f.env.db, plan.id, "plan:operator-confirm:clients-stopped:hop1", "waiting");
    for (const key of ["plan:operator-confirm:clients-stopped:hop1"]) await confirmStep(f.env.db, f.actor, plan.id, key, "traffic stopped");
    await waitForStepState(f.env.db, plan.id, "plan:operator-confirm:clients-resumed:hop1", "waiting", 90_000);
    await confirmStep(f.env.db, f.actor, plan.id, "plan:operator-confirm:clients-resumed:hop1", "clients back");
    expect(await waitForPlanState(f.env.db, plan.id, ["succeeded", "failed"], 60_000)).toBe("succeeded");
    expect(cluster.nodes.map((n) => n.sim.record.filter((r) => r.what.includes("ks_upgrade.sh")).length)).toEqual([1, 1, 1]);
  });
});

// The unclustered downgrade: refused without the typed acknowledgement, it stops for an operator
// to confirm the wipe, runs ks_downgrade.sh once, and the appliance comes back on the older version.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startConsoleFixture, type ConsoleFixture } from "@/lib/testing/console-fixture";
import { startEnrolledAppliance, type EnrolledSimulator } from "@/lib/testing/simulated-appliance";
import { waitForPlanState, waitForStepState } from "@/lib/testing/in-process-worker";
import { createPlan } from "@/lib/plans/create-plan";
import { confirmBackup } from "@/lib/plans/confirm-backup";
import { launchPlan } from "@/lib/plans/launch-plan";
import { confirmStep } from "@/lib/plans/confirm-step";

let f: ConsoleFixture;
let cm: EnrolledSimulator;

beforeAll(async () => {
  f = await startConsoleFixture("downgrade", { deadlineScale: 0.01, archives: ["2.10.0+12807"] });
  cm = await startEnrolledAppliance(f.env.db, f.env.dataDir, { name: "cm-down", version: "2.11.0+13003" });
});

afterAll(async () => {
  await cm?.sim.stop();
  await f?.stop();
});

describe("downgrade", () => {
  it("[D3][D5] is refused until the operator types the acknowledgement that names the wipe", async () => {
    await expect(createPlan(f.env.db, f.actor, { applianceId: cm.applianceId, targetVersion: "2.10.0+12807", method: "downgrade" })).rejects.toThrow(/wipes all data except existing backup files.*DOWNGRADE cm-down/);
  });

  it("[D2][D7] downgrades 2.11 to 2.10 after the wipe is confirmed in the plan, running ks_downgrade.sh once", async () => {
    const plan = await createPlan(f.env.db, f.actor, { applianceId: cm.applianceId, targetVersion: "2.10.0+12807", method: "downgrade", acknowledgement: "DOWNGRADE cm-down" });
    await confirmBackup(f.env.db, f.actor, plan.id);
    await expect(launchPlan(f.env.db, f.actor, plan.id)).rejects.toThrow(/maintenance window/);
    await f.openWindow(plan.id);
    await launchPlan(f.env.db, f.actor, plan.id);
    const key = "plan:operator-confirm:wipe-test-only:hop1";
    await waitForStepState(f.env.db, plan.id, key, "waiting");
    expect(cm.sim.record.filter((r) => r.what.includes("ks_downgrade.sh"))).toHaveLength(0);
    await confirmStep(f.env.db, f.actor, plan.id, key, "lab system, no production traffic");
    expect(await waitForPlanState(f.env.db, plan.id, ["succeeded", "failed"], 90_000)).toBe("succeeded");
    expect(cm.sim.state.version).toBe("2.10.0+12807");
    expect(cm.sim.record.filter((r) => r.what.includes("ks_downgrade.sh"))).toHaveLength(1);
    const audit = await f.env.db.auditEvent.findMany({ where: { action: "step-confirmed", subjectId: plan.id } });
    expect(audit[0]?.data).toMatchObject({ note: "lab system, no production traffic" });
  });
});

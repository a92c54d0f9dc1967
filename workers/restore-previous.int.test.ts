// [D6] The production way back: after an upgrade to 2.11, back to 2.10 through a factory reset and
// the restore of the backup made on 2.10; a backup made on 2.11 is refused for it [U5].
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startConsoleFixture, type ConsoleFixture } from "@/lib/testing/console-fixture";
import { startEnrolledAppliance, type EnrolledSimulator } from "@/lib/testing/simulated-appliance";
import { waitForPlanState, waitForStepState } from "@/lib/testing/in-process-worker";
import { createPlan } from "@/lib/plans/create-plan";
import { createRestorePlan } from "@/lib/plans/create-restore-plan";
import { confirmBackup, takeBackup } from "@/lib/plans/confirm-backup";
import { launchPlan } from "@/lib/plans/launch-plan";
import { confirmStep } from "@/lib/plans/confirm-step";

let f: ConsoleFixture;
let cm: EnrolledSimulator;

beforeAll(async () => {
  f = await startConsoleFixture("restore", { deadlineScale: 0.01, archives: ["2.10.0+12807", "2.11.0+13003"] });
  cm = await startEnrolledAppliance(f.env.db, f.env.dataDir, { name: "cm-back", version: "2.10.0+12807" });
});

afterAll(async () => {
  await cm?.sim.stop();
  await f?.stop();
});

describe("the production way back", () => {
  it("[D6][U5] factory resets, upgrades to the desired version and restores the backup made on it", async () => {
    const up = await createPlan(f.env.db, f.actor, { applianceId: cm.applianceId, targetVersion: "2.11.0+13003" });
    const before = await confirmBackup(f.env.db, f.actor, up.id);
    await launchPlan(f.env.db, f.actor, up.id);
    expect(await waitForPlanState(f.env.db, up.id, ["succeeded", "failed"], 90_000)).toBe("succeeded");
    expect(cm.sim.state.version).toBe("2.11.0+13003");
    const after = (await takeBackup(f.env.db, f.actor, up.id, cm.applianceId)).id;

    await expect(createRestorePlan(f.env.db, f.actor, { applianceId: cm.applianceId, targetVersion: "2.10.0+12807", backupConfirmationId: after, acknowledgement: "RESET cm-back" })).rejects.toThrow(/never supported/);
    await expect(createRestorePlan(f.env.db, f.actor, { applianceId: cm.applianceId, targetVersion: "2.10.0+12807", backupConfirmationId: before.id, acknowledgement: "yes" })).rejects.toThrow(/RESET cm-back/);

    const back = await createRestorePlan(f.env.db, f.actor, { applianceId: cm.applianceId, targetVersion: "2.10.0+12807", backupConfirmationId: before.id, acknowledgement: "RESET cm-back" });
    const restoreCheck = await f.env.db.precheck.findFirstOrThrow({ where: { planId: back.id, checkId: "backup" } });
    expect(restoreCheck.status).toBe("pass");
    await confirmBackup(f.env.db, f.actor, back.id);
    await f.openWindow(back.id);
    await launchPlan(f.env.db, f.actor, back.id);
    const key = "plan:operator-confirm:factory-reset";
    await waitForStepState(f.env.db, back.id, key, "waiting");
    expect(cm.sim.record.some((r) => r.what.includes("factory-reset"))).toBe(false);
    await confirmStep(f.env.db, f.actor, back.id, key, "production rollback approved");
    expect(await waitForPlanState(f.env.db, back.id, ["succeeded", "failed"], 90_000)).toBe("succeeded");
    expect(cm.sim.state.version).toBe("2.10.0+12807");
    const what = cm.sim.record.map((r) => r.what);
    expect(what.findIndex((w) => w.includes("factory-reset"))).toBeLessThan(what.findIndex((w) => w.includes("/restore")));
  });
});

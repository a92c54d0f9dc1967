// [D6] The production way back: after an upgrade to 2.11, back to 2.10 through a factory reset and
// the restore of the backup made on 2.10; a backup made on 2.11 is refused for it [U5].
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestEnv, type TestEnv } from "@/lib/testing/test-env";
import { startEnrolledAppliance, type EnrolledSimulator } from "@/lib/testing/simulated-appliance";
import { startInProcessWorker, waitForPlanState } from "@/lib/testing/in-process-worker";
import { addVendorKey } from "@/lib/archives/vendor-keys";
import { receiveArchive } from "@/lib/archives/receive-archive";
import { createPlan } from "@/lib/plans/create-plan";
import { createRestorePlan } from "@/lib/plans/create-restore-plan";
import { confirmBackup } from "@/lib/plans/confirm-backup";
import { launchPlan } from "@/lib/plans/launch-plan";
import { confirmStep } from "@/lib/plans/confirm-step";
import { makeSignedArchive, keyPath } from "@/simulator/archives";
import type { Actor } from "@/lib/audit/append-audit-event";

let env: TestEnv;
let worker: { stop(): Promise<void> };
let actor: Actor;
let cm: EnrolledSimulator;

async function upload(version: string) {
  const dir = path.join(env.dataDir, "made");
  fs.mkdirSync(dir, { recursive: true });
  const made = await makeSignedArchive({ dir, version, sizeBytes: 64 * 1024 });
  expect((await receiveArchive(env.db, actor, { fileName: made.fileName, body: fs.createReadStream(made.path) })).status).toBe("verified");
}

beforeAll(async () => {
  env = await createTestEnv("restore", { FLEET_DEADLINE_SCALE: "0.01" });
  const admin = await env.db.user.create({ data: { email: "admin@test.local", name: "Admin", role: "admin" } });
  actor = { type: "user", id: admin.id, name: admin.email };
  await addVendorKey(env.db, actor, fs.readFileSync(keyPath("test-vendor", "pub"), "utf8"));
  await upload("2.10.0+12807");
  await upload("2.11.0+13003");
  cm = await startEnrolledAppliance(env.db, env.dataDir, { name: "cm-back", version: "2.10.0+12807" });
  worker = startInProcessWorker(env.db);
});

afterAll(async () => {
  await worker?.stop();
  await cm?.sim.stop();
  await env?.cleanup();
});

describe("the production way back", () => {
  it("[D6][U5] factory resets, upgrades to the desired version and restores the backup made on it", async () => {
    const up = await createPlan(env.db, actor, { applianceId: cm.applianceId, targetVersion: "2.11.0+13003" });
    const before = await confirmBackup(env.db, actor, up.id);
    await launchPlan(env.db, actor, up.id);
    expect(await waitForPlanState(env.db, up.id, ["succeeded", "failed"], 90_000)).toBe("succeeded");
    expect(cm.sim.state.version).toBe("2.11.0+13003");
    const after = await takeBackupOn211();

    await expect(createRestorePlan(env.db, actor, { applianceId: cm.applianceId, targetVersion: "2.10.0+12807", backupConfirmationId: after, acknowledgement: "RESET cm-back" })).rejects.toThrow(/never supported/);
    await expect(createRestorePlan(env.db, actor, { applianceId: cm.applianceId, targetVersion: "2.10.0+12807", backupConfirmationId: before.id, acknowledgement: "yes" })).rejects.toThrow(/RESET cm-back/);

    const back = await createRestorePlan(env.db, actor, { applianceId: cm.applianceId, targetVersion: "2.10.0+12807", backupConfirmationId: before.id, acknowledgement: "RESET cm-back" });
    const restoreCheck = await env.db.precheck.findFirstOrThrow({ where: { planId: back.id, checkId: "backup" } });
    expect(restoreCheck.status).toBe("pass");
    await confirmBackup(env.db, actor, back.id);
    await launchPlan(env.db, actor, back.id);
    const key = "plan:operator-confirm:factory-reset";
    for (const end = Date.now() + 30_000; (await env.db.step.findUniqueOrThrow({ where: { planId_key: { planId: back.id, key } } })).state !== "waiting";) {
      if (Date.now() > end) throw new Error("the factory reset was never put to the operator");
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(cm.sim.record.some((r) => r.what.includes("factory-reset"))).toBe(false);
    await confirmStep(env.db, actor, back.id, key, "production rollback approved");
    expect(await waitForPlanState(env.db, back.id, ["succeeded", "failed"], 90_000)).toBe("succeeded");
    expect(cm.sim.state.version).toBe("2.10.0+12807");
    const what = cm.sim.record.map((r) => r.what);
    expect(what.findIndex((w) => w.includes("factory-reset"))).toBeLessThan(what.findIndex((w) => w.includes("/restore")));
  });
});

async function takeBackupOn211(): Promise<string> {
  const { takeBackup } = await import("@/lib/plans/confirm-backup");
  const plan = await env.db.upgradePlan.findFirstOrThrow({ where: { applianceId: cm.applianceId } });
  return (await takeBackup(env.db, actor, plan.id, cm.applianceId)).id;
}

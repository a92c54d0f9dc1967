// The unclustered downgrade: refused without the typed acknowledgement, it stops for an operator
// to confirm the wipe, runs ks_downgrade.sh once, and the appliance comes back on the older version.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestEnv, type TestEnv } from "@/lib/testing/test-env";
import { startEnrolledAppliance, type EnrolledSimulator } from "@/lib/testing/simulated-appliance";
import { startInProcessWorker, waitForPlanState } from "@/lib/testing/in-process-worker";
import { addVendorKey } from "@/lib/archives/vendor-keys";
import { receiveArchive } from "@/lib/archives/receive-archive";
import { createPlan } from "@/lib/plans/create-plan";
import { confirmBackup } from "@/lib/plans/confirm-backup";
import { launchPlan } from "@/lib/plans/launch-plan";
import { confirmStep } from "@/lib/plans/confirm-step";
import { makeSignedArchive, keyPath } from "@/simulator/archives";
import type { Actor } from "@/lib/audit/append-audit-event";

let env: TestEnv;
let worker: { stop(): Promise<void> };
let actor: Actor;
let cm: EnrolledSimulator;

beforeAll(async () => {
  env = await createTestEnv("downgrade", { FLEET_DEADLINE_SCALE: "0.01" });
  const admin = await env.db.user.create({ data: { email: "admin@test.local", name: "Admin", role: "admin" } });
  actor = { type: "user", id: admin.id, name: admin.email };
  await addVendorKey(env.db, actor, fs.readFileSync(keyPath("test-vendor", "pub"), "utf8"));
  const dir = path.join(env.dataDir, "made");
  fs.mkdirSync(dir, { recursive: true });
  const made = await makeSignedArchive({ dir, version: "2.10.0+12807", sizeBytes: 128 * 1024 });
  expect((await receiveArchive(env.db, actor, { fileName: made.fileName, body: fs.createReadStream(made.path) })).status).toBe("verified");
  cm = await startEnrolledAppliance(env.db, env.dataDir, { name: "cm-down", version: "2.11.0+13003" });
  worker = startInProcessWorker(env.db);
});

afterAll(async () => {
  await worker?.stop();
  await cm?.sim.stop();
  await env?.cleanup();
});

describe("downgrade", () => {
  it("[D3][D5] is refused until the operator types the acknowledgement that names the wipe", async () => {
    await expect(createPlan(env.db, actor, { applianceId: cm.applianceId, targetVersion: "2.10.0+12807", method: "downgrade" })).rejects.toThrow(/wipes all data except existing backup files.*DOWNGRADE cm-down/);
  });

  it("[D2][D7] downgrades 2.11 to 2.10 after the wipe is confirmed in the plan, running ks_downgrade.sh once", async () => {
    const plan = await createPlan(env.db, actor, { applianceId: cm.applianceId, targetVersion: "2.10.0+12807", method: "downgrade", acknowledgement: "DOWNGRADE cm-down" });
    await confirmBackup(env.db, actor, plan.id);
    await launchPlan(env.db, actor, plan.id);
    const key = "plan:operator-confirm:wipe-test-only:hop1";
    const deadline = Date.now() + 30_000;
    while ((await env.db.step.findUniqueOrThrow({ where: { planId_key: { planId: plan.id, key } } })).state !== "waiting") {
      if (Date.now() > deadline) throw new Error("the wipe confirmation never waited for the operator");
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(cm.sim.record.filter((r) => r.what.includes("ks_downgrade.sh"))).toHaveLength(0);
    await confirmStep(env.db, actor, plan.id, key, "lab system, no production traffic");
    expect(await waitForPlanState(env.db, plan.id, ["succeeded", "failed"], 90_000)).toBe("succeeded");
    expect(cm.sim.state.version).toBe("2.10.0+12807");
    expect(cm.sim.record.filter((r) => r.what.includes("ks_downgrade.sh"))).toHaveLength(1);
    const audit = await env.db.auditEvent.findMany({ where: { action: "step-confirmed", subjectId: plan.id } });
    expect(audit[0]?.data).toMatchObject({ note: "lab system, no production traffic" });
  });
});

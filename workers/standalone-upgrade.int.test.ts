// One unclustered appliance upgraded end to end against real Postgres, Redis and the simulator
// over SSH and HTTPS, plus the refusals the vendor procedure demands.
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
import { makeSignedArchive, flipByte, keyPath } from "@/simulator/archives";
import type { Actor } from "@/lib/audit/append-audit-event";

const GiB = 1024 ** 3;
let env: TestEnv;
let worker: { stop(): Promise<void> };
let actor: Actor;
const sims: EnrolledSimulator[] = [];

async function upload(version: string, mutate?: (file: string) => Promise<void>) {
  const dir = path.join(env.dataDir, "made");
  fs.mkdirSync(dir, { recursive: true });
  const made = await makeSignedArchive({ dir, version, sizeBytes: 256 * 1024 });
  if (mutate) await mutate(made.path);
  return receiveArchive(env.db, actor, { fileName: made.fileName, body: fs.createReadStream(made.path) });
}

async function appliance(name: string, version: string, extra: Record<string, unknown> = {}) {
  const enrolled = await startEnrolledAppliance(env.db, env.dataDir, { name, version, ...extra });
  sims.push(enrolled);
  return enrolled;
}

beforeAll(async () => {
  env = await createTestEnv("standalone", { FLEET_DEADLINE_SCALE: "0.01" });
  const admin = await env.db.user.create({ data: { email: "admin@test.local", name: "Admin", role: "admin" } });
  actor = { type: "user", id: admin.id, name: admin.email };
  await addVendorKey(env.db, actor, fs.readFileSync(keyPath("test-vendor", "pub"), "utf8"));
  worker = startInProcessWorker(env.db);
  const archive = await upload("2.11.0+13003");
  expect(archive.status).toBe("verified");
});

afterAll(async () => {
  await worker?.stop();
  await Promise.all(sims.map((s) => s.sim.stop()));
  await env?.cleanup();
});

describe("standalone upgrade", () => {
  it("[U4][U6][U8][U9][U10] upgrades 2.10 to 2.11 end to end, running ks_upgrade.sh exactly once", async () => {
    const { sim, applianceId } = await appliance("cm-ok", "2.10.0+12807");
    const plan = await createPlan(env.db, actor, { applianceId, targetVersion: "2.11.0+13003" });
    await confirmBackup(env.db, actor, plan.id);
    const ready = await env.db.upgradePlan.findUniqueOrThrow({ where: { id: plan.id } });
    expect(ready.state).toBe("ready");
    await launchPlan(env.db, actor, plan.id);
    expect(await waitForPlanState(env.db, plan.id, ["succeeded", "failed"], 90_000)).toBe("succeeded");

    expect(sim.state.version).toBe("2.11.0+13003");
    const upgrades = sim.record.filter((r) => r.what.includes("ks_upgrade.sh"));
    expect(upgrades).toHaveLength(1);
    expect(upgrades[0]!.what).toContain("/home/ksadmin/");
    const steps = await env.db.step.findMany({ where: { planId: plan.id }, orderBy: { position: "asc" } });
    expect(steps.every((s) => s.state === "succeeded" || s.state === "skipped")).toBe(true);
    const upgradeStep = steps.find((s) => s.kind === "run-upgrade")!;
    expect(upgradeStep.output).toContain("Upgrade to 2.11.0+13003 succeeded");
    const row = await env.db.appliance.findUniqueOrThrow({ where: { id: applianceId } });
    expect(row.version).toBe("2.11.0+13003");
    const backup = await env.db.backupConfirmation.findFirstOrThrow({ where: { planId: plan.id } });
    expect(backup.backupSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(backup.keySha256).toMatch(/^[0-9a-f]{64}$/);
    const events = await env.db.planEvent.findMany({ where: { planId: plan.id }, orderBy: { seq: "asc" } });
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    expect(events.at(-1)!.type).toBe("plan-state");
  });

  it("[U1] refuses an archive with a tampered byte and never offers it", async () => {
    const refused = await upload("2.12.0+14001", (file) => flipByte(file, Math.floor(fs.statSync(file).size / 2)));
    expect(refused.status).toBe("refused");
    expect(refused.refusalReason).toBeTruthy();
    expect(refused.storedPath).toBeNull();
    const { applianceId } = await appliance("cm-tamper", "2.11.0+13003");
    await expect(createPlan(env.db, actor, { applianceId, targetVersion: "2.12.0+14001" })).rejects.toThrow(/archive/i);
  });

  it("[U7] refuses low disk before any upload", async () => {
    const { sim, applianceId } = await appliance("cm-lowdisk", "2.10.0+12807", { diskFreeBytes: 4 * GiB });
    const plan = await createPlan(env.db, actor, { applianceId, targetVersion: "2.11.0+13003" });
    const disk = await env.db.precheck.findFirstOrThrow({ where: { planId: plan.id, checkId: "disk-space" } });
    expect(disk.status).toBe("fail");
    await confirmBackup(env.db, actor, plan.id);
    await expect(launchPlan(env.db, actor, plan.id)).rejects.toThrow(/Precheck failed/);
    expect(sim.record.filter((r) => r.channel === "sftp")).toHaveLength(0);
  });

  it("fails the plan truthfully at its deadline when the appliance never returns after reboot", async () => {
    const { sim, applianceId } = await appliance("cm-gone", "2.10.0+12807");
    await sim.setFaults({ neverReturns: true });
    const plan = await createPlan(env.db, actor, { applianceId, targetVersion: "2.11.0+13003" });
    await confirmBackup(env.db, actor, plan.id);
    await launchPlan(env.db, actor, plan.id);
    expect(await waitForPlanState(env.db, plan.id, ["succeeded", "failed"], 120_000)).toBe("failed");
    const steps = await env.db.step.findMany({ where: { planId: plan.id } });
    const wait = steps.find((s) => s.kind === "wait-return")!;
    expect(wait.state).toBe("failed");
    expect(wait.outcome).toMatch(/did not come back|deadline/i);
    expect(steps.filter((s) => s.kind === "postcheck").every((s) => s.state === "pending")).toBe(true);
    expect(steps.some((s) => s.state === "running")).toBe(false);
    const row = await env.db.upgradePlan.findUniqueOrThrow({ where: { id: plan.id } });
    expect(row.stateReason).toMatch(/wait|back/i);
    expect(sim.record.filter((r) => r.what.includes("ks_upgrade.sh"))).toHaveLength(1);
  });
});

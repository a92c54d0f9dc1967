// One unclustered appliance upgraded end to end against real Postgres, Redis and the simulator
// over SSH and HTTPS, plus the refusals the vendor procedure demands.
import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startConsoleFixture, type ConsoleFixture } from "@/lib/testing/console-fixture";
import { startEnrolledAppliance, type EnrolledSimulator } from "@/lib/testing/simulated-appliance";
import { waitForPlanState } from "@/lib/testing/in-process-worker";
import { createPlan } from "@/lib/plans/create-plan";
import { confirmBackup } from "@/lib/plans/confirm-backup";
import { launchPlan } from "@/lib/plans/launch-plan";
import { flipByte } from "@/simulator/archives";

const GiB = 1024 ** 3;
let f: ConsoleFixture;
const sims: EnrolledSimulator[] = [];

async function appliance(name: string, version: string, extra: Record<string, unknown> = {}) {
  const enrolled = await startEnrolledAppliance(f.env.db, f.env.dataDir, { name, version, ...extra });
  sims.push(enrolled);
  return enrolled;
}

beforeAll(async () => {
  f = await startConsoleFixture("standalone", { deadlineScale: 0.01, archives: ["2.11.0+13003"] });
});

afterAll(async () => {
  await Promise.all(sims.map((s) => s.sim.stop()));
  await f?.stop();
});

describe("standalone upgrade", () => {
  it("[U4][U6][U8][U9][U10] upgrades 2.10 to 2.11 end to end, running ks_upgrade.sh exactly once", async () => {
    const { sim, applianceId } = await appliance("cm-ok", "2.10.0+12807");
    const plan = await createPlan(f.env.db, f.actor, { applianceId, targetVersion: "2.11.0+13003" });
    await confirmBackup(f.env.db, f.actor, plan.id);
    const ready = await f.env.db.upgradePlan.findUniqueOrThrow({ where: { id: plan.id } });
    expect(ready.state).toBe("ready");
    await launchPlan(f.env.db, f.actor, plan.id);
    expect(await waitForPlanState(f.env.db, plan.id, ["succeeded", "failed"], 90_000)).toBe("succeeded");

    expect(sim.state.version).toBe("2.11.0+13003");
    const upgrades = sim.record.filter((r) => r.what.includes("ks_upgrade.sh"));
    expect(upgrades).toHaveLength(1);
    expect(upgrades[0]!.what).toContain("/home/ksadmin/");
    const steps = await f.env.db.step.findMany({ where: { planId: plan.id }, orderBy: { position: "asc" } });
    expect(steps.every((s) => s.state === "succeeded" || s.state === "skipped")).toBe(true);
    const upgradeStep = steps.find((s) => s.kind === "run-upgrade")!;
    expect(upgradeStep.output).toContain("Upgrade to 2.11.0+13003 succeeded");
    const row = await f.env.db.appliance.findUniqueOrThrow({ where: { id: applianceId } });
    expect(row.version).toBe("2.11.0+13003");
    const backup = await f.env.db.backupConfirmation.findFirstOrThrow({ where: { planId: plan.id } });
    expect(backup.backupSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(backup.keySha256).toMatch(/^[0-9a-f]{64}$/);
    const events = await f.env.db.planEvent.findMany({ where: { planId: plan.id }, orderBy: { seq: "asc" } });
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    expect(events.at(-1)!.type).toBe("plan-state");
  });

  it("[U10] waits for keysecure still starting after the reboot instead of failing the postcheck", async () => {
    // 1500 simulated seconds of service start: REST answers after 1 s, keysecure is active only after 3 s.
    const { sim, applianceId } = await appliance("cm-slow-start", "2.10.0+12807", { serviceStartSeconds: 1500 });
    const plan = await createPlan(f.env.db, f.actor, { applianceId, targetVersion: "2.11.0+13003" });
    await confirmBackup(f.env.db, f.actor, plan.id);
    await launchPlan(f.env.db, f.actor, plan.id);
    expect(await waitForPlanState(f.env.db, plan.id, ["succeeded", "failed"], 90_000)).toBe("succeeded");
    expect(sim.state.version).toBe("2.11.0+13003");
    const postcheck = await f.env.db.step.findFirstOrThrow({ where: { planId: plan.id, kind: "postcheck" } });
    expect(postcheck.output).toContain("active (running)");
  });

  it("[U1] refuses an archive with a tampered byte and never offers it", async () => {
    const refused = await f.upload("2.12.0+14001", { mutate: (file) => flipByte(file, Math.floor(fs.statSync(file).size / 2)) });
    expect(refused.status).toBe("refused");
    expect(refused.refusalReason).toBeTruthy();
    expect(refused.storedPath).toBeNull();
    const { applianceId } = await appliance("cm-tamper", "2.11.0+13003");
    await expect(createPlan(f.env.db, f.actor, { applianceId, targetVersion: "2.12.0+14001" })).rejects.toThrow(/archive/i);
  });

  it("[U7] refuses low disk before any upload", async () => {
    const { sim, applianceId } = await appliance("cm-lowdisk", "2.10.0+12807", { diskFreeBytes: 4 * GiB });
    const plan = await createPlan(f.env.db, f.actor, { applianceId, targetVersion: "2.11.0+13003" });
    const disk = await f.env.db.precheck.findFirstOrThrow({ where: { planId: plan.id, checkId: "disk-space" } });
    expect(disk.status).toBe("fail");
    await confirmBackup(f.env.db, f.actor, plan.id);
    await expect(launchPlan(f.env.db, f.actor, plan.id)).rejects.toThrow(/Precheck failed/);
    expect(sim.record.filter((r) => r.channel === "sftp")).toHaveLength(0);
  });

  it("fails the plan truthfully at its deadline when the appliance never returns after reboot", async () => {
    const { sim, applianceId } = await appliance("cm-gone", "2.10.0+12807");
    await sim.setFaults({ neverReturns: true });
    const plan = await createPlan(f.env.db, f.actor, { applianceId, targetVersion: "2.11.0+13003" });
    await confirmBackup(f.env.db, f.actor, plan.id);
    await launchPlan(f.env.db, f.actor, plan.id);
    expect(await waitForPlanState(f.env.db, plan.id, ["succeeded", "failed"], 120_000)).toBe("failed");
    const steps = await f.env.db.step.findMany({ where: { planId: plan.id } });
    const wait = steps.find((s) => s.kind === "wait-return")!;
    expect(wait.state).toBe("failed");
    expect(wait.outcome).toMatch(/did not come back|deadline/i);
    expect(steps.filter((s) => s.kind === "postcheck").every((s) => s.state === "pending")).toBe(true);
    expect(steps.some((s) => s.state === "running")).toBe(false);
    const row = await f.env.db.upgradePlan.findUniqueOrThrow({ where: { id: plan.id } });
    expect(row.stateReason).toMatch(/wait|back/i);
    expect(sim.record.filter((r) => r.what.includes("ks_upgrade.sh"))).toHaveLength(1);
  });
});

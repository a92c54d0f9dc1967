// The long waits before a launch report their progress as plan events: a backup is created, then
// downloaded with bytes out of the announced size, then done with its sha256; prechecks across a
// cluster say per node when its observation is pending, running and done. Real simulators.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startConsoleFixture, type ConsoleFixture } from "@/lib/testing/console-fixture";
import { startEnrolledAppliance, type EnrolledSimulator } from "@/lib/testing/simulated-appliance";
import { startEnrolledCluster, type EnrolledCluster } from "@/lib/testing/enrolled-cluster";
import { createPlan } from "@/lib/plans/create-plan";
import { confirmBackup } from "@/lib/plans/confirm-backup";

let f: ConsoleFixture;
let single: EnrolledSimulator;
let cluster: EnrolledCluster;

beforeAll(async () => {
  f = await startConsoleFixture("progress-events", { worker: false, archives: ["2.11.0+13003"] });
  single = await startEnrolledAppliance(f.env.db, f.env.dataDir, { name: "cm-progress", version: "2.10.0+12807" });
  cluster = await startEnrolledCluster(f.env.db, f.env.dataDir, "cm-prog");
});
afterAll(async () => {
  await single?.sim.stop();
  await cluster?.fleet.stop();
  await f?.stop();
});

const events = (planId: string, type: string) => f.env.db.planEvent.findMany({ where: { planId, type }, orderBy: { seq: "asc" } }).then((rows) => rows.map((r) => r.data as Record<string, unknown>));

describe("progress of the waits before a launch", () => {
  it("[U4] a backup reports creating, downloading with bytes out of the announced size, then done with its sha256", async () => {
    const plan = await createPlan(f.env.db, f.actor, { applianceId: single.applianceId, targetVersion: "2.11.0+13003" });
    const row = await confirmBackup(f.env.db, f.actor, plan.id);
    const backup = await events(plan.id, "backup");
    expect(backup.map((e) => e.phase)).toEqual(["creating", "downloading", ...backup.slice(2, -1).map(() => "downloading"), "done"]);
    const downloading = backup.filter((e) => e.phase === "downloading");
    expect(downloading[0]).toMatchObject({ bytes: 0, backupId: row.remoteBackupId });
    const last = downloading.at(-1)!;
    expect(last.bytes).toBe(Number(row.backupBytes));
    expect(last.total).toBe(Number(row.backupBytes));
    expect(Number(last.at)).toBeGreaterThanOrEqual(Number(last.startedAt));
    expect(backup.at(-1)).toMatchObject({ phase: "done", bytes: Number(row.backupBytes), sha256: row.backupSha256, applianceId: single.applianceId });
  });

  it("a failed backup ends its progress with the reason", async () => {
    const plan = await createPlan(f.env.db, f.actor, { applianceId: single.applianceId, targetVersion: "2.11.0+13003" });
    await single.sim.setFaults({ restDown: true });
    try {
      await expect(confirmBackup(f.env.db, f.actor, plan.id)).rejects.toThrow();
    } finally {
      await single.sim.setFaults({ restDown: false });
    }
    const backup = await events(plan.id, "backup");
    expect(backup.at(-1)).toMatchObject({ phase: "failed", applianceId: single.applianceId });
    expect(String(backup.at(-1)!.reason)).not.toBe("");
  });

  it("prechecks across a cluster report each node pending, running, then done", async () => {
    const plan = await createPlan(f.env.db, f.actor, { clusterId: cluster.clusterId, targetVersion: "2.11.0+13003" });
    const nodes = (await events(plan.id, "precheck")).filter((e) => e.phase === "node");
    const ids = cluster.nodes.map((n) => n.applianceId);
    for (const id of ids) {
      const mine = nodes.filter((e) => e.applianceId === id);
      expect(mine.map((e) => e.state)).toEqual(["pending", "running", "done"]);
      expect(String(mine.at(-1)!.detail)).toMatch(/2\.10\.0\+12807; SSH answered; REST answered/);
    }
    // Every node is announced pending before any is observed.
    const firstRunning = nodes.findIndex((e) => e.state === "running");
    expect(nodes.slice(0, firstRunning).map((e) => e.applianceId).sort()).toEqual([...ids].sort());
    const results = (await events(plan.id, "precheck")).at(-1)!;
    expect(results.results).toBeInstanceOf(Array);
  });
});

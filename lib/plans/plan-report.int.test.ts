// The plan report and the per-target history, read from a real downgrade run inside an approved
// window (so every "who" is filled: created, requested, approved, launched) and a cluster plan.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startConsoleFixture, type ConsoleFixture } from "@/lib/testing/console-fixture";
import { startEnrolledAppliance, type EnrolledSimulator } from "@/lib/testing/simulated-appliance";
import { startEnrolledCluster, type EnrolledCluster } from "@/lib/testing/enrolled-cluster";
import { waitForPlanState, waitForStepState } from "@/lib/testing/in-process-worker";
import { createPlan } from "./create-plan";
import { confirmBackup } from "./confirm-backup";
import { launchPlan } from "./launch-plan";
import { confirmStep } from "./confirm-step";
import { readPlanReport, OUTPUT_TAIL_LINES } from "./plan-report";
import { listPlans, readHistoryTarget } from "./read-plans";

let f: ConsoleFixture;
let sim: EnrolledSimulator;
let cluster: EnrolledCluster;

beforeAll(async () => {
  f = await startConsoleFixture("plan-report", { deadlineScale: 0.02, archives: ["2.10.0+12807", "2.11.0+13003"] });
});

afterAll(async () => {
  await sim?.sim.stop();
  await cluster?.fleet.stop();
  await f?.stop();
});

describe("plan report", () => {
  it("tells who created, requested, approved and launched a plan, with prechecks, backups, step timings, outputs and the audit trail", async () => {
    sim = await startEnrolledAppliance(f.env.db, f.env.dataDir, { name: "rp-down", version: "2.11.0+13003" });
    const plan = await createPlan(f.env.db, f.actor, { applianceId: sim.applianceId, targetVersion: "2.10.0+12807", method: "downgrade", acknowledgement: "DOWNGRADE rp-down" });
    await confirmBackup(f.env.db, f.actor, plan.id);
    await f.openWindow(plan.id);
    await launchPlan(f.env.db, f.actor, plan.id);
    const wipe = "plan:operator-confirm:wipe-test-only:hop1";
    await waitForStepState(f.env.db, plan.id, wipe, "waiting");
    await confirmStep(f.env.db, f.actor, plan.id, wipe, "lab system");
    expect(await waitForPlanState(f.env.db, plan.id, ["succeeded", "failed"], 90_000)).toBe("succeeded");

    const r = await readPlanReport(f.env.db, plan.id);
    expect(r.plan).toMatchObject({
      method: "downgrade", state: "succeeded", fromVersion: "2.11.0+13003", targetVersion: "2.10.0+12807",
      target: { kind: "appliance", name: "rp-down" }, createdBy: "admin@test.local", launchedBy: "admin@test.local", acknowledgement: "DOWNGRADE rp-down",
    });
    expect(r.plan.durationMs).toBe(r.plan.finishedAt!.getTime() - r.plan.launchedAt!.getTime());
    expect(r.windows).toHaveLength(1);
    expect(r.windows[0]).toMatchObject({ state: "approved", requestedBy: "admin@test.local", decidedBy: "approver@test.local", decisionComment: "ok" });
    expect(r.hops).toEqual([expect.objectContaining({ version: "2.10.0+12807", sha256: expect.stringMatching(/^[0-9a-f]{64}$/), sizeBytes: expect.any(Number) })]);

    expect(r.prechecks.length).toBeGreaterThan(0);
    expect(r.prechecks.every((p) => p.node === "rp-down" && p.evidence.length > 0)).toBe(true);
    expect(r.backups).toEqual([expect.objectContaining({ node: "rp-down", kind: "downloaded", backupSha256: expect.stringMatching(/^[0-9a-f]{64}$/), keySha256: expect.stringMatching(/^[0-9a-f]{64}$/), backupBytes: expect.any(Number) })]);
    expect(r.backups[0]).not.toHaveProperty("backupPath");
    // The row's attestation column holds the backup key's password, sealed: it never reaches the report.
    expect(r.backups[0]!.attestation).toBeNull();
    expect(JSON.stringify(r)).not.toMatch(/v1:[A-Za-z0-9+/=]{8,}:/);

    const rows = await f.env.db.step.findMany({ where: { planId: plan.id }, orderBy: { position: "asc" } });
    expect(r.steps.map((s) => s.key)).toEqual(rows.map((s) => s.key));
    for (const s of r.steps.filter((x) => x.state === "succeeded")) {
      expect(s.durationMs).toBe(s.finishedAt!.getTime() - s.startedAt!.getTime());
      expect(s.durationMs).toBeGreaterThanOrEqual(0);
    }
    const downgrade = r.steps.find((s) => s.kind === "run-downgrade")!;
    const fullOutput = rows.find((s) => s.kind === "run-downgrade")!.output;
    expect(downgrade.outputTail.length).toBeLessThanOrEqual(OUTPUT_TAIL_LINES);
    expect(downgrade.outputTail.at(-1)).toBe(fullOutput.trimEnd().split(/\r?\n/).at(-1));

    const times = r.timeline.map((t) => t.at.getTime());
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(r.timeline.map((t) => t.what)).toEqual(expect.arrayContaining(["Plan created", "Launched", "Plan succeeded", expect.stringMatching(/^Window approved/), expect.stringMatching(/^Maintenance window requested/)]));
    expect(r.timeline.find((t) => t.what.startsWith("Window approved"))!.who).toBe("approver@test.local");

    const actions = r.audit.map((e) => e.action);
    const upgradeStep = r.audit.find((e) => e.action === "step-succeeded" && e.data.step === downgrade.title);
    expect(upgradeStep, "audit rows name steps by their titles").toBeTruthy();
    for (const a of ["plan-created", "backup-confirmed", "window-requested", "window-approved", "plan-launched", "step-confirmed", "plan-succeeded"]) expect(actions).toContain(a);
    expect(r.audit.map((e) => Number(e.id))).toEqual([...r.audit.map((e) => Number(e.id))].sort((a, b) => a - b));
  });

  it("refuses an unknown plan with a message that says so", async () => {
    await expect(readPlanReport(f.env.db, "00000000-0000-4000-8000-000000000000")).rejects.toThrow(/No plan 00000000-.*never created/);
  });
});

describe("history per target", () => {
  it("lists an appliance's own plans and every cluster plan that named it as a node; a cluster's, its plans", async () => {
    cluster = await startEnrolledCluster(f.env.db, f.env.dataDir, "rp-cl", { size: 2 });
    const plan = await createPlan(f.env.db, f.actor, { clusterId: cluster.clusterId, targetVersion: "2.11.0+13003" });
    const [entry, member] = cluster.nodes;
    for (const node of [entry!, member!]) expect((await listPlans(f.env.db, { applianceId: node.applianceId })).map((p) => p.id)).toEqual([plan.id]);
    expect((await listPlans(f.env.db, { clusterId: cluster.clusterId })).map((p) => p.id)).toEqual([plan.id]);
    expect((await listPlans(f.env.db, { applianceId: sim.applianceId })).map((p) => p.cluster)).toEqual([null]);
    expect(await readHistoryTarget(f.env.db, { clusterId: cluster.clusterId })).toMatchObject({ kind: "cluster", name: "rp-cl", detail: "2 nodes" });
    expect(await readHistoryTarget(f.env.db, { applianceId: member!.applianceId })).toMatchObject({ kind: "appliance", name: "rp-cl-2", detail: "node of cluster rp-cl" });
    expect(await readHistoryTarget(f.env.db, { applianceId: "not-an-id" })).toBeNull();
  });
});

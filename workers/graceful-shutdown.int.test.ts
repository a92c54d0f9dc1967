// SIGTERM to a real worker process (`tsx workers/main.ts`) while a step runs: the process ends with
// code 0; a step that ends within the grace period finishes, one that does not is handed back
// (pending, no lease, its attempt not counted, an event saying so); a second worker process then
// finishes the plan from what Postgres says, with ks_upgrade.sh run exactly once on the appliance.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startConsoleFixture, type ConsoleFixture } from "@/lib/testing/console-fixture";
import { startEnrolledAppliance, type EnrolledSimulator } from "@/lib/testing/simulated-appliance";
import { waitForPlanState } from "@/lib/testing/in-process-worker";
import { createPlan } from "@/lib/plans/create-plan";
import { confirmBackup } from "@/lib/plans/confirm-backup";
import { launchPlan } from "@/lib/plans/launch-plan";
import { startWorkerProcess, workerEnv, type WorkerProcess } from "@/scripts/chaos/processes";

const GRACE_MS = 1_000;
let f: ConsoleFixture;
const sims: EnrolledSimulator[] = [];
const workers: WorkerProcess[] = [];

beforeAll(async () => {
  f = await startConsoleFixture("shutdown", { worker: false, deadlineScale: 0.05, archives: ["2.11.0+13003"] });
}, 120_000);
afterAll(async () => {
  await Promise.all(workers.map((w) => w.kill()));
  await Promise.all(sims.map((s) => s.sim.stop()));
  await f?.stop();
});

/** A launched plan on an appliance that takes ~6 s to come back after its reboot: long enough to stop a worker inside "wait-return". */
async function launchedPlan(name: string) {
  const enrolled = await startEnrolledAppliance(f.env.db, f.env.dataDir, { name, version: "2.10.0+12807", faults: { slowReturn: 3_000 } });
  sims.push(enrolled);
  const plan = await createPlan(f.env.db, f.actor, { applianceId: enrolled.applianceId, targetVersion: "2.11.0+13003" });
  await confirmBackup(f.env.db, f.actor, plan.id);
  await launchPlan(f.env.db, f.actor, plan.id);
  return { plan, enrolled };
}

/** SIGTERM, then the exit code, or "still running" once `withinMs` has passed. */
async function terminate(w: WorkerProcess, withinMs: number): Promise<number | null | "still running"> {
  const exited = new Promise<number | null>((resolve) => w.child.process.once("exit", (code) => resolve(code)));
  w.child.process.kill("SIGTERM");
  return Promise.race([exited, new Promise<"still running">((r) => setTimeout(() => r("still running"), withinMs))]);
}

async function finishWithSecondWorker(planId: string, enrolled: EnrolledSimulator) {
  const second = await startWorkerProcess(workerEnv(), `worker-${workers.length + 1}`);
  workers.push(second);
  const state = await waitForPlanState(f.env.db, planId, ["succeeded", "failed"], 120_000);
  // Stopped before the next test, so no worker but that test's own takes its steps.
  await second.child.stop();
  expect(state).toBe("succeeded");
  expect(enrolled.sim.record.filter((r) => r.what.includes("ks_upgrade.sh"))).toHaveLength(1);
  expect(enrolled.sim.state.version).toBe("2.11.0+13003");
  const steps = await f.env.db.step.findMany({ where: { planId } });
  expect(steps.every((s) => s.state === "succeeded" || s.state === "skipped")).toBe(true);
}

async function waitForRunningStep(planId: string, kind: string, timeoutMs: number) {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const step = await f.env.db.step.findFirst({ where: { planId, kind, state: "running" } });
    if (step) return step;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no ${kind} step was running within ${timeoutMs} ms`);
}

describe("graceful shutdown", () => {
  it("lets the running step finish within the grace period, then exits 0", async () => {
    const { plan, enrolled } = await launchedPlan("cm-grace");
    const first = await startWorkerProcess(workerEnv({ FLEET_SHUTDOWN_GRACE_MS: "60000" }), "worker-grace");
    workers.push(first);
    const running = await waitForRunningStep(plan.id, "wait-return", 90_000);
    const code = await terminate(first, 60_000 + 15_000);
    expect(code, first.child.tail.join("\n")).toBe(0);
    const after = await f.env.db.step.findUniqueOrThrow({ where: { id: running.id } });
    expect(after.state).toBe("succeeded");
    expect(after.attempts).toBe(running.attempts);
    expect(await f.env.db.auditEvent.count({ where: { subjectId: plan.id, action: "step-handed-back" } })).toBe(0);
    await finishWithSecondWorker(plan.id, enrolled);
  }, 300_000);

  it("hands back the running step when the grace period ends, and a restarted worker finishes the plan", async () => {
    const { plan, enrolled } = await launchedPlan("cm-handback");
    const first = await startWorkerProcess(workerEnv({ FLEET_SHUTDOWN_GRACE_MS: String(GRACE_MS) }), "worker-handback");
    workers.push(first);
    const running = await waitForRunningStep(plan.id, "wait-return", 90_000);
    // Exit 0; the bound is the grace period plus the hand-back and the process's own teardown.
    const code = await terminate(first, GRACE_MS + 15_000);
    expect(code, first.child.tail.join("\n")).toBe(0);

    const after = await f.env.db.step.findUniqueOrThrow({ where: { id: running.id } });
    expect(after.state).toBe("pending");
    expect(after.leaseUntil).toBeNull();
    expect(after.attempts).toBe(running.attempts - 1);
    expect(after.outcome).toMatch(/handed back: the worker was stopped \(SIGTERM\)/);
    expect(await f.env.db.upgradePlan.findUniqueOrThrow({ where: { id: plan.id } })).toMatchObject({ state: "running" });
    const event = await f.env.db.planEvent.findFirst({ where: { planId: plan.id, type: "step-state", stepKey: running.key }, orderBy: { seq: "desc" } });
    expect(event?.data).toMatchObject({ state: "pending", outcome: expect.stringMatching(/handed back/) });
    expect(await f.env.db.auditEvent.count({ where: { subjectId: plan.id, action: "step-handed-back" } })).toBe(1);
    await finishWithSecondWorker(plan.id, enrolled);
  }, 300_000);
});

// One chaos injection: a fresh simulated appliance, a real plan launched through the services,
// one fault at a random point (found by watching step states in Postgres), then the truth
// checked: the plan's end state, a resume where the fault can be cleared, and the invariants.
import path from "node:path";
import type { Db } from "@/lib/db/client";
import type { Actor } from "@/lib/audit/append-audit-event";
import { createPlan } from "@/lib/plans/create-plan";
import { confirmBackup } from "@/lib/plans/confirm-backup";
import { launchPlan } from "@/lib/plans/launch-plan";
import { resumePlan } from "@/lib/plans/control-plan";
import { acceptNewTrust } from "@/lib/fleet/trust";
import { probeAppliance } from "@/lib/appliance";
import { getStepQueue } from "@/lib/queue/step-queue";
import { startEnrolledAppliance } from "@/lib/testing/simulated-appliance";
import { checkInvariants } from "@/lib/testing/invariants";
import type { SimulatedAppliance } from "@/simulator/appliance";
import { startWorkerProcess, type PrivateRedis, type WorkerProcess } from "./processes";
import type { Rng } from "./rng";

export const FAULTS = ["kill-upload", "kill-script", "kill-wait", "redis-restart", "postgres-restart", "two-workers", "ssh-drop", "never-returns", "disk-fills", "host-key-changed", "two-plans"] as const;
export type Fault = (typeof FAULTS)[number];

export interface ChaosContext {
  db: Db;
  actor: Actor;
  dataDir: string;
  workerEnv: NodeJS.ProcessEnv;
  redis: PrivateRedis;
  /** Stops and starts the suite's own Postgres; absent when the run shares a server (tests). */
  restartPostgres?: (downMs: number) => Promise<void>;
  workers: WorkerProcess[];
  rng: Rng;
  from: string;
  to: string;
  archiveBytes: number;
  say(line: string): void;
}

export interface InjectionResult {
  fault: Fault;
  outcome: string;
  violations: string[];
  /** False when the plan ended before the chosen point came (nothing was injected). */
  injected: boolean;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const END_STATES = ["succeeded", "failed", "paused"];

/** Reads through a restarting Postgres: a refused connection is retried, not a failed run. */
async function patiently<T>(read: () => Promise<T>): Promise<T> {
  for (let i = 0; ; i++) {
    try {
      return await read();
    } catch (e) {
      if (i > 100) throw e;
      await sleep(200);
    }
  }
}

async function waitForEnd(db: Db, planId: string, timeoutMs: number): Promise<string> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const plan = await patiently(() => db.upgradePlan.findUniqueOrThrow({ where: { id: planId } }));
    if (END_STATES.includes(plan.state)) return plan.state;
    await sleep(150);
  }
  return "stuck";
}

/** Waits until a step of `kind` runs (and `also` holds), or the plan ended first: false then. */
async function waitForRunning(db: Db, planId: string, kind: string, also: () => boolean = () => true): Promise<boolean> {
  for (let i = 0; i < 1500; i++) {
    const step = await patiently(() => db.step.findFirst({ where: { planId, kind, state: "running" } }));
    if (step && also()) return true;
    const plan = await patiently(() => db.upgradePlan.findUniqueOrThrow({ where: { id: planId } }));
    if (END_STATES.includes(plan.state)) return false;
    await sleep(20);
  }
  return false;
}

async function killWorkersAndRestart(ctx: ChaosContext): Promise<void> {
  await Promise.all(ctx.workers.map((w) => w.kill()));
  ctx.workers.length = 0;
  await sleep(ctx.rng.int(0, 1000));
  ctx.workers.push(await startWorkerProcess(ctx.workerEnv));
}

/** Duplicate jobs for every due step, so two workers race to claim the same step. */
async function raceJobs(db: Db, planId: string, stop: () => boolean): Promise<void> {
  let n = 0;
  while (!stop()) {
    // Only due steps (dependencies done), as the reconciler and a finishing step may both enqueue them.
    const all = await patiently(() => db.step.findMany({ where: { planId } }));
    const done = new Set(all.filter((s) => s.state === "succeeded" || s.state === "skipped").map((s) => s.key));
    const steps = all.filter((s) => s.state === "pending" && s.dependsOn.every((k) => done.has(k)));
    for (const s of steps) await getStepQueue().add("run-step", { planId, stepId: s.id, attempt: s.attempts }, { jobId: `race-${s.id}-${n++}` }).catch(() => {});
    await sleep(100);
  }
}

async function inject(ctx: ChaosContext, fault: Fault, planId: string, sim: SimulatedAppliance): Promise<boolean> {
  const uploading = () => sim.record.some((e) => e.channel === "sftp" && e.what.startsWith("upload started"));
  const scripting = () => sim.record.some((e) => e.what.includes("ks_upgrade.sh"));
  if (fault === "kill-upload" && (await waitForRunning(ctx.db, planId, "upload-archive", uploading))) {
    await sleep(ctx.rng.int(0, 150));
    await killWorkersAndRestart(ctx);
    return true;
  } else if (fault === "kill-script" && (await waitForRunning(ctx.db, planId, "run-upgrade", scripting))) {
    await sleep(ctx.rng.int(0, 1500));
    await killWorkersAndRestart(ctx);
    return true;
  } else if (fault === "kill-wait" && (await waitForRunning(ctx.db, planId, "wait-return"))) {
    await sleep(ctx.rng.int(0, 300));
    await killWorkersAndRestart(ctx);
    return true;
  } else if (fault === "redis-restart" || fault === "postgres-restart") {
    const kind = ctx.rng.pick(["upload-archive", "run-upgrade", "wait-return"]);
    if (!(await waitForRunning(ctx.db, planId, kind))) return false;
    await sleep(ctx.rng.int(0, 500));
    if (fault === "redis-restart") await ctx.redis.restart(ctx.rng.int(200, 2000));
    else if (ctx.restartPostgres) await ctx.restartPostgres(ctx.rng.int(500, 2500));
    else return false;
    return true;
  }
  // The other faults are set on the appliance or the launch itself before the plan starts.
  return !["kill-upload", "kill-script", "kill-wait"].includes(fault);
}

/** Clears what a person would fix (the appliance boots, space freed, new key accepted) and resumes. */
async function clearAndResume(ctx: ChaosContext, fault: Fault, planId: string, applianceId: string, sim: SimulatedAppliance): Promise<boolean> {
  if (fault === "never-returns") await sim.setFaults({ neverReturns: false });
  else if (fault === "disk-fills") await sim.setFaults({ diskFillsDuringUpload: false });
  else if (fault === "host-key-changed") {
    const a = await ctx.db.appliance.findUniqueOrThrow({ where: { id: applianceId } });
    const seen = await probeAppliance({ host: a.host, sshPort: a.sshPort, restUrl: a.restUrl });
    await acceptNewTrust(ctx.db, ctx.actor, applianceId, { acceptedSshHostKeyFingerprint: seen.sshHostKeyFingerprint, acceptedRestCertFingerprint: seen.restCertFingerprint });
  }
  await sleep(300);
  await resumePlan(ctx.db, ctx.actor, planId);
  return (await waitForEnd(ctx.db, planId, 120_000)) === "succeeded";
}

async function describeFailure(db: Db, planId: string): Promise<string> {
  const step = await db.step.findFirst({ where: { planId, state: "failed" } });
  return step ? `${step.kind}: ${(step.outcome ?? "").slice(0, 80)}` : "no failed step";
}

export async function runInjection(ctx: ChaosContext, fault: Fault, n: number): Promise<InjectionResult> {
  const name = `chaos-${fault}-${n}-${ctx.rng.int(0, 1e6)}`;
  const { sim, applianceId } = await startEnrolledAppliance(ctx.db, ctx.dataDir, { name, version: ctx.from, timeScale: 0.004, stateDir: path.join(ctx.dataDir, "sim", name) });
  const violations: string[] = [];
  let stopRace = false;
  try {
    if (fault === "ssh-drop") await sim.setFaults({ dropSshAfterBytes: ctx.rng.int(1024, ctx.archiveBytes - 1024) });
    if (fault === "disk-fills") await sim.setFaults({ diskFillsDuringUpload: ctx.rng.int(1024, ctx.archiveBytes - 1024) });
    if (fault === "never-returns") await sim.setFaults({ neverReturns: true });
    if (fault === "host-key-changed") await sim.setFaults({ hostKeyChanged: true });
    const plan = await createPlan(ctx.db, ctx.actor, { applianceId, targetVersion: ctx.to });
    await confirmBackup(ctx.db, ctx.actor, plan.id);
    const planIds = [plan.id];
    if (fault === "two-plans") {
      const rival = await createPlan(ctx.db, ctx.actor, { applianceId, targetVersion: ctx.to });
      await confirmBackup(ctx.db, ctx.actor, rival.id);
      planIds.push(rival.id);
      const launched = await Promise.allSettled(planIds.map((id) => launchPlan(ctx.db, ctx.actor, id)));
      const won = launched.filter((l) => l.status === "fulfilled").length;
      if (won !== 1) violations.push(`two plans launched at once on one appliance: ${won} took the lock (exactly one may)`);
    } else {
      if (fault === "two-workers" && ctx.workers.length < 2) ctx.workers.push(await startWorkerProcess(ctx.workerEnv, "worker-2"));
      await launchPlan(ctx.db, ctx.actor, plan.id);
    }
    const race = fault === "two-workers" ? raceJobs(ctx.db, plan.id, () => stopRace) : Promise.resolve();
    const injected = await inject(ctx, fault, plan.id, sim);
    const launchedId = (await ctx.db.upgradePlan.findFirst({ where: { id: { in: planIds }, state: { notIn: ["ready", "draft", "prechecked"] } } }))?.id ?? plan.id;
    let state = await waitForEnd(ctx.db, launchedId, 120_000);
    stopRace = true;
    await race;
    let outcome: string;
    if (state === "succeeded") outcome = "succeeded";
    else if (state === "stuck") outcome = "stuck";
    else {
      const why = await describeFailure(ctx.db, launchedId);
      const resumed = await clearAndResume(ctx, fault, launchedId, applianceId, sim).catch((e: unknown) => { violations.push(`resume refused: ${e instanceof Error ? e.message : String(e)}`); return false; });
      state = (await ctx.db.upgradePlan.findUniqueOrThrow({ where: { id: launchedId } })).state;
      outcome = resumed ? `${state === "paused" ? "paused" : "failed"} truthfully, then succeeded after resume` : `failed truthfully, left for a person (${why})`;
      ctx.say(`  ${fault} #${n}: stopped at ${why}`);
    }
    if (outcome === "stuck") violations.push(`plan ${launchedId} did not end within 120 s`);
    violations.push(...(await checkInvariants(ctx.db, { planIds, records: new Map([[applianceId, sim.record]]) })));
    return { fault, outcome, violations, injected };
  } finally {
    stopRace = true;
    await sim.stop();
  }
}

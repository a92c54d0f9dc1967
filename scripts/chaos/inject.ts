// One chaos injection: a fresh simulated appliance (for `two-plans` a fresh 3-node cluster), a
// real plan launched through the services, one fault at a random point (found by watching step
// states in Postgres), then the truth checked: the plan's end state, a resume where the fault can
// be cleared, and the invariants.
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
import { startEnrolledCluster } from "@/lib/testing/enrolled-cluster";
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

/** How a plan that ran to its end is described in the report, without resuming it. */
async function describeEnd(db: Db, planId: string, state: string): Promise<string> {
  if (state === "succeeded" || state === "stuck") return state;
  return `${state} truthfully, left for a person (${await describeFailure(db, planId)})`;
}

/**
 * `two-plans`: two online in-place plans for one simulated 3-node cluster (the method that needs no
 * approved window, so both launches get as far as the lock), launched at the same moment. Launch
 * locks every node of a cluster together, so exactly one launch may win; the other plan must stay
 * unlaunched with nothing run, and no node may show the firmware script more than once per hop.
 */
async function runTwoPlansOnCluster(ctx: ChaosContext, n: number): Promise<InjectionResult> {
  const name = `chaos-two-plans-${n}-${ctx.rng.int(0, 1e6)}`;
  const cluster = await startEnrolledCluster(ctx.db, ctx.dataDir, name, { defaults: { version: ctx.from } });
  const nodeIds = cluster.nodes.map((x) => x.applianceId);
  const violations: string[] = [];
  try {
    const planIds: string[] = [];
    for (let i = 0; i < 2; i++) {
      const plan = await createPlan(ctx.db, ctx.actor, { clusterId: cluster.clusterId, targetVersion: ctx.to, method: "online-rolling" });
      await confirmBackup(ctx.db, ctx.actor, plan.id);
      planIds.push(plan.id);
    }
    const launched = await Promise.allSettled(planIds.map((id) => launchPlan(ctx.db, ctx.actor, id)));
    const winners = planIds.filter((_, i) => launched[i]!.status === "fulfilled");
    const refusals = launched.flatMap((l) => (l.status === "rejected" ? [l.reason instanceof Error ? l.reason.message : String(l.reason)] : []));
    if (winners.length !== 1) violations.push(`two plans launched at once on one cluster: ${winners.length} took the lock (exactly one may)${refusals.length ? `; refused: ${refusals.join(" / ")}` : ""}`);
    if (winners.length === 1) {
      // Read while the winner runs: every node must be locked to it, none to the other plan.
      const locks = await ctx.db.applianceLock.findMany({ where: { applianceId: { in: nodeIds } } });
      const winner = await ctx.db.upgradePlan.findUniqueOrThrow({ where: { id: winners[0]! } });
      const foreign = locks.filter((l) => l.planId !== winner.id);
      if (foreign.length) violations.push(`after the race ${foreign.length} node(s) of the cluster are locked to plan ${foreign[0]!.planId}, not to the winner ${winner.id}`);
      if (winner.state === "running" && locks.length - foreign.length !== nodeIds.length) violations.push(`the winner ${winner.id} holds the lock on ${locks.length - foreign.length} of ${nodeIds.length} nodes`);
      ctx.say(`  two-plans #${n}: ${winner.id} took the cluster; the other was refused: ${refusals[0] ?? "(no refusal)"}`);
    }
    const ends = await Promise.all(winners.map(async (id) => ({ id, state: await waitForEnd(ctx.db, id, 180_000) })));
    for (const e of ends) if (e.state === "stuck") violations.push(`plan ${e.id} did not end within 180 s`);
    // The plans that lost the race must still be as they were: never launched, no step started.
    const losers = await ctx.db.upgradePlan.findMany({ where: { id: { in: planIds.filter((id) => !winners.includes(id)) } }, include: { steps: true } });
    for (const l of losers) {
      if (l.launchedAt || !["draft", "prechecked", "ready"].includes(l.state)) violations.push(`plan ${l.id} lost the launch race but is ${l.state}${l.launchedAt ? " and was launched" : ""}`);
      const moved = l.steps.filter((s) => s.state !== "pending");
      if (moved.length) violations.push(`plan ${l.id} lost the launch race but its step ${moved[0]!.key} is ${moved[0]!.state}`);
    }
    const outcome = ends.length ? (await Promise.all(ends.map((e) => describeEnd(ctx.db, e.id, e.state)))).join("; ") : "neither plan launched";
    violations.push(...(await checkInvariants(ctx.db, { planIds, records: new Map(cluster.nodes.map((x) => [x.applianceId, x.sim.record])) })));
    return { fault: "two-plans", outcome, violations, injected: true };
  } finally {
    await cluster.fleet.stop();
  }
}

export async function runInjection(ctx: ChaosContext, fault: Fault, n: number): Promise<InjectionResult> {
  if (fault === "two-plans") return runTwoPlansOnCluster(ctx, n);
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
    if (fault === "two-workers" && ctx.workers.length < 2) ctx.workers.push(await startWorkerProcess(ctx.workerEnv, "worker-2"));
    await launchPlan(ctx.db, ctx.actor, plan.id);
    const race = fault === "two-workers" ? raceJobs(ctx.db, plan.id, () => stopRace) : Promise.resolve();
    const injected = await inject(ctx, fault, plan.id, sim);
    let state = await waitForEnd(ctx.db, plan.id, 120_000);
    stopRace = true;
    await race;
    let outcome: string;
    if (state === "succeeded") outcome = "succeeded";
    else if (state === "stuck") outcome = "stuck";
    else {
      const why = await describeFailure(ctx.db, plan.id);
      const resumed = await clearAndResume(ctx, fault, plan.id, applianceId, sim).catch((e: unknown) => { violations.push(`resume refused: ${e instanceof Error ? e.message : String(e)}`); return false; });
      state = (await ctx.db.upgradePlan.findUniqueOrThrow({ where: { id: plan.id } })).state;
      outcome = resumed ? `${state === "paused" ? "paused" : "failed"} truthfully, then succeeded after resume` : `failed truthfully, left for a person (${why})`;
      ctx.say(`  ${fault} #${n}: stopped at ${why}`);
    }
    if (outcome === "stuck") violations.push(`plan ${plan.id} did not end within 120 s`);
    violations.push(...(await checkInvariants(ctx.db, { planIds: [plan.id], records: new Map([[applianceId, sim.record]]) })));
    return { fault, outcome, violations, injected };
  } finally {
    stopRace = true;
    await sim.stop();
  }
}

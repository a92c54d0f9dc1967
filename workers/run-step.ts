// Runs one step job: claim the step in Postgres (so two workers never run it at once), run its
// handler under a deadline with a renewed lease, record the outcome, then advance the plan.
import type { Db } from "@/lib/db/client";
import { AppError, isAppError, RETRYABLE_CODES } from "@/lib/errors";
import { getConfig } from "@/lib/config";
import { appendPlanEvent, appendPlanEvents } from "@/lib/events/plan-events";
import { appendAuditEvent, SYSTEM_ACTOR } from "@/lib/audit/append-audit-event";
import { advancePlan, finishPlan } from "@/lib/plans/advance-plan";
import { enqueueStep, type StepJob } from "@/lib/queue/step-queue";
import { logger } from "@/lib/log/logger";
import { markTrustChanged } from "@/lib/fleet/trust";
import { createStepContext, type StepContext, type StepOutcome } from "./step-context";
import { STEP_HANDLERS } from "./steps/registry";
import { campaignStopRequest } from "@/lib/campaigns/stop-request";
import { stepsAllowedWhenStopping } from "@/lib/domain/campaign-stop";
import { notify } from "@/lib/notifications/emit-notification";

// FLEET_LEASE_MS shortens it for the chaos suite, so a killed worker's step is taken over quickly.
export const LEASE_MS = Number(process.env.FLEET_LEASE_MS ?? 30_000);
const MAX_RETRIES = 3;

/** Why a step was stopped by its own worker's shutdown rather than by its deadline (docs/reliability-input.md "Shutdown"). */
class HandBack extends Error {}
/** Steps running in this process, so a shutdown past its grace period can hand them back. */
const runningSteps = new Set<AbortController>();

/** Aborts every step this process runs; each goes back to pending, its attempt not counted. Returns how many. */
export function handBackRunningSteps(reason: string): number {
  for (const c of runningSteps) c.abort(new HandBack(reason));
  return runningSteps.size;
}

function deadlineMs(seconds: number): number {
  return Math.max(2_000, seconds * 1000 * getConfig().deadlineScale);
}

async function claim(db: Db, job: StepJob) {
  const claimed = await db.step.updateMany({
    where: { id: job.stepId, planId: job.planId, state: "pending", attempts: job.attempt, plan: { state: "running" } },
    data: { state: "running", attempts: { increment: 1 }, startedAt: new Date(), leaseUntil: new Date(Date.now() + LEASE_MS), outcome: null },
  });
  return claimed.count === 1;
}

export async function runStepJob(db: Db, job: StepJob): Promise<void> {
  if (!(await claim(db, job))) return; // already taken, done, or the plan is not running
  // The step, and the plan with its steps' states (to check dependencies without another query), at once.
  const [step, planWithSteps] = await Promise.all([
    db.step.findUniqueOrThrow({ where: { id: job.stepId } }),
    db.upgradePlan.findUniqueOrThrow({ where: { id: job.planId }, include: { steps: { select: { key: true, state: true } } } }),
  ]);
  const { steps: stepStates, ...plan } = planWithSteps;
  // Which process ran what, when several share the queue (docs/scale-out.md); silent unless LOG_LEVEL=debug.
  logger.debug({ plan: job.planId, step: step.key, attempt: step.attempts }, "step claimed");
  if (!dependenciesDone(stepStates, step.dependsOn)) {
    // A stray or duplicate job for a step whose dependencies are not done: handed back untouched.
    await db.step.updateMany({ where: { id: step.id, state: "running" }, data: { state: "pending", attempts: { decrement: 1 }, startedAt: null, leaseUntil: null } });
    return;
  }
  if ((plan.campaignTargetId || plan.pauseAfterNode) && !(await mayStartWhileStopping(db, plan, step))) {
    // Queued just before its campaign was aborted or a pause after the node was asked: handed back
    // untouched; the plan then pauses after its current node.
    await db.step.updateMany({ where: { id: step.id, state: "running" }, data: { state: "pending", attempts: { decrement: 1 }, startedAt: null, leaseUntil: null } });
    await advancePlan(db, plan.id);
    return;
  }
  const handler = STEP_HANDLERS[step.kind];
  const controller = new AbortController();
  const deadline = deadlineMs(step.deadlineSeconds);
  const timer = setTimeout(() => controller.abort(new AppError("timeout", `Step "${step.title}" passed its deadline of ${Math.round(deadline / 1000)} s.`)), deadline);
  const lease = setInterval(() => void db.step.update({ where: { id: step.id }, data: { leaseUntil: new Date(Date.now() + LEASE_MS) } }).catch(() => {}), LEASE_MS / 3);
  const ctx = createStepContext(db, plan, step, controller.signal);
  // Written in the background, ahead of the handler's own reports: the handler need not wait for it.
  ctx.announce({ type: "step-state", stepKey: step.key, data: { state: "running", attempt: step.attempts, title: step.title } });
  runningSteps.add(controller);
  try {
    if (!handler) throw new AppError("internal", `No handler for step kind ${step.kind}`);
    const result = await raceDeadline(handler(ctx), controller.signal);
    await complete(db, ctx, result);
  } catch (e) {
    await ctx.flush().catch(() => {});
    if (controller.signal.reason instanceof HandBack) return await handBack(db, ctx, controller.signal.reason.message);
    await fail(db, ctx, e);
  } finally {
    runningSteps.delete(controller);
    clearTimeout(timer);
    clearInterval(lease);
  }
  await advancePlan(db, plan.id);
}

function dependenciesDone(steps: { key: string; state: string }[], keys: string[]): boolean {
  const done = new Set(steps.filter((s) => s.state === "succeeded" || s.state === "skipped").map((s) => s.key));
  return keys.every((k) => done.has(k));
}

/** False when the plan is stopping after its current node (its campaign was aborted, or an operator asked) and this step would start work on a node not yet touched. */
async function mayStartWhileStopping(db: Db, plan: { id: string; method: string; campaignTargetId: string | null; pauseAfterNode: boolean }, step: { id: string }): Promise<boolean> {
  const stopping = plan.pauseAfterNode || (plan.campaignTargetId !== null && (await campaignStopRequest(db, plan.campaignTargetId)) !== null);
  if (!stopping) return true;
  const steps = await db.step.findMany({ where: { planId: plan.id }, select: { id: true, key: true, kind: true, applianceId: true, hop: true, state: true, attempts: true } });
  // Judge as if this claim had not happened yet.
  const before = steps.map((s) => (s.id === step.id ? { ...s, state: "pending", attempts: s.attempts - 1 } : s));
  const key = steps.find((s) => s.id === step.id)?.key;
  return key !== undefined && stepsAllowedWhenStopping(plan.method, before).allowed.has(key);
}

function raceDeadline<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    signal.addEventListener("abort", () => reject(signal.reason), { once: true });
    work.then(resolve, reject);
  });
}

/** The outcome, with the step's last output and events (ctx.drain), in one transaction and one event write. */
async function complete(db: Db, ctx: StepContext, result: StepOutcome) {
  const last = await ctx.drain();
  const finishedAt = result.state === "waiting" ? null : new Date();
  await db.$transaction(async (tx) => {
    await tx.step.update({ where: { id: ctx.step.id }, data: { ...last.data, state: result.state, outcome: result.outcome, finishedAt, leaseUntil: null } });
    await appendAuditEvent(tx, { actor: SYSTEM_ACTOR, action: `step-${result.state}`, subjectType: "plan", subjectId: ctx.plan.id, data: { step: ctx.step.key, outcome: result.outcome } });
  });
  await appendPlanEvents(db, ctx.plan.id, [...last.events, { type: "step-state", stepKey: ctx.step.key, data: { state: result.state, outcome: result.outcome } }]);
}

/** Pending again, no lease, the attempt not counted: the next worker's reconciler enqueues it, and
 *  its handler observes the appliance first (an upgrade already started is never started twice). */
async function handBack(db: Db, ctx: StepContext, reason: string) {
  const outcome = `handed back: ${reason}; another worker resumes it from what the appliance shows`;
  const handed = await db.$transaction(async (tx) => {
    const r = await tx.step.updateMany({ where: { id: ctx.step.id, state: "running" }, data: { state: "pending", attempts: { decrement: 1 }, startedAt: null, leaseUntil: null, outcome } });
    if (r.count) await appendAuditEvent(tx, { actor: SYSTEM_ACTOR, action: "step-handed-back", subjectType: "plan", subjectId: ctx.plan.id, data: { step: ctx.step.key, reason } });
    return r.count === 1;
  });
  if (handed) await appendPlanEvent(db, ctx.plan.id, { type: "step-state", stepKey: ctx.step.key, data: { state: "pending", outcome } });
}

async function fail(db: Db, ctx: StepContext, e: unknown) {
  const err = isAppError(e) ? e : new AppError("internal", e instanceof Error ? e.message : String(e));
  const retry = RETRYABLE_CODES.has(err.code) && ctx.step.attempts < MAX_RETRIES && !ctx.signal.aborted;
  if (retry) {
    await db.step.update({ where: { id: ctx.step.id }, data: { state: "pending", outcome: `retrying: ${err.message}`, leaseUntil: null } });
    await appendPlanEvent(db, ctx.plan.id, { type: "step-state", stepKey: ctx.step.key, data: { state: "pending", outcome: `will retry: ${err.message}` } });
    // The claim already counted this attempt, so the next job carries the current count.
    await enqueueStep({ planId: ctx.plan.id, stepId: ctx.step.id, attempt: ctx.step.attempts }, 2_000 * ctx.step.attempts);
    return;
  }
  logger.warn({ plan: ctx.plan.id, step: ctx.step.key, code: err.code }, err.message);
  await markTrustChanged(db, ctx.step.applianceId ?? ctx.plan.applianceId, err);
  await db.$transaction(async (tx) => {
    await tx.step.update({ where: { id: ctx.step.id }, data: { state: "failed", outcome: err.message, finishedAt: new Date(), leaseUntil: null } });
    await appendAuditEvent(tx, { actor: SYSTEM_ACTOR, action: "step-failed", subjectType: "plan", subjectId: ctx.plan.id, data: { step: ctx.step.key, code: err.code, reason: err.message } });
  });
  await appendPlanEvent(db, ctx.plan.id, { type: "step-state", stepKey: ctx.step.key, data: { state: "failed", outcome: err.message, code: err.code } });
  if (ctx.step.applianceId) await notify(db, "node-failed", { kind: "plan", planId: ctx.plan.id, stepId: ctx.step.id, occurrence: `${ctx.step.id}:${ctx.step.attempts}`, reason: err.message });
  await finishPlan(db, ctx.plan.id, "failed", `${ctx.step.title} failed: ${err.message}`);
}

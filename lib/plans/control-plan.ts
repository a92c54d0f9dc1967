// Abort and resume. Abort starts nothing new: a step already running on the appliance finishes
// (stopping ks_upgrade.sh halfway would leave the node worse off), then the appliance is released.
// Resume puts a failed step back to pending; its handler observes before acting again. Retry node
// does the same for one node's failed steps only.
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { appendAuditEvent, type Actor } from "@/lib/audit/append-audit-event";
import { appendPlanEvent } from "@/lib/events/plan-events";
import { advancePlan } from "@/lib/plans/advance-plan";
import { checkPlanWindow } from "@/lib/windows/windows";
import { assertTrusted } from "@/lib/fleet/trust";
import { mayRetryNode } from "@/lib/domain/plan-controls";

/** POST /api/plans/[id]/abort: an abort always says why. */
export const AbortPlanSchema = z.object({ reason: z.string().trim().min(1, "reason: say why the plan is aborted").max(2000) });

export async function abortPlan(db: Db, actor: Actor, planId: string, reason: string) {
  const plan = await db.upgradePlan.findUniqueOrThrow({ where: { id: planId } });
  if (["succeeded", "aborted"].includes(plan.state)) throw new AppError("conflict", `The plan is already ${plan.state}.`);
  const running = await db.$transaction(async (tx) => {
    await tx.upgradePlan.update({ where: { id: planId }, data: { state: "aborted", stateReason: reason || "aborted by an operator", finishedAt: new Date() } });
    await tx.step.updateMany({ where: { planId, state: "pending" }, data: { state: "cancelled", outcome: "plan aborted" } });
    const stillRunning = await tx.step.count({ where: { planId, state: "running" } });
    if (stillRunning === 0) await tx.applianceLock.deleteMany({ where: { planId } });
    await appendAuditEvent(tx, { actor, action: "plan-aborted", subjectType: "plan", subjectId: planId, data: { reason, stepStillRunning: stillRunning > 0 } });
    return stillRunning;
  });
  await appendPlanEvent(db, planId, { type: "plan-state", data: { state: "aborted", reason, by: actor.name, stepStillRunning: running > 0 } });
}

export async function resumePlan(db: Db, actor: Actor, planId: string) {
  await reopenPlan(db, actor, planId, null);
}

/** The plan room's "Retry node": only that node's failed steps go back to pending, then the plan goes on. */
export async function retryNode(db: Db, actor: Actor, planId: string, applianceId: string) {
  await reopenPlan(db, actor, planId, applianceId);
}

async function reopenPlan(db: Db, actor: Actor, planId: string, applianceId: string | null) {
  const plan = await db.upgradePlan.findUniqueOrThrow({ where: { id: planId }, include: { steps: true } });
  const nodes = plan.nodes as { applianceId: string; name: string }[];
  if (applianceId) {
    const verdict = mayRetryNode({ ...plan, nodes }, plan.steps, applianceId);
    if (!verdict.ok) throw new AppError(nodes.some((n) => n.applianceId === applianceId) ? "conflict" : "not-found", `Not retried: ${verdict.reason}`);
  } else if (plan.state !== "failed" && plan.state !== "paused") throw new AppError("conflict", `Only a failed or paused plan can be resumed; this one is ${plan.state}.`);
  await assertTrusted(db, [plan.applianceId, ...nodes.map((n) => n.applianceId)]);
  const window = await checkPlanWindow(db, planId);
  if (!window.ok) throw new AppError("precondition-failed", `Not resumed: ${window.message}`);
  const failed = plan.steps.filter((s) => s.state === "failed" && (applianceId === null || s.applianceId === applianceId));
  await db.$transaction(async (tx) => {
    for (const s of failed) await tx.step.update({ where: { id: s.id }, data: { state: "pending", outcome: `${applianceId ? "retried" : "resumed"} by ${actor.name} after: ${s.outcome ?? "failure"}` } });
    // Resuming ends a pause after the current node: going on is what the person asked for now.
    await tx.upgradePlan.update({ where: { id: planId }, data: { state: "running", stateReason: null, pauseAfterNode: false } });
    await appendAuditEvent(tx, { actor, action: applianceId ? "plan-node-retried" : "plan-resumed", subjectType: "plan", subjectId: planId, data: { steps: failed.map((s) => s.key), ...(applianceId ? { applianceId } : {}) } });
  });
  await appendPlanEvent(db, planId, { type: "plan-state", data: { state: "running", [applianceId ? "retriedBy" : "resumedBy"]: actor.name, steps: failed.map((s) => s.key), ...(applianceId ? { applianceId } : {}) } });
  await advancePlan(db, planId);
}

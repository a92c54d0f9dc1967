// Abort and resume. Abort starts nothing new: a step already running on the appliance finishes
// (stopping ks_upgrade.sh halfway would leave the node worse off), then the appliance is released.
// Resume puts a failed step back to pending; its handler observes before acting again.
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { appendAuditEvent, type Actor } from "@/lib/audit/append-audit-event";
import { appendPlanEvent } from "@/lib/events/plan-events";
import { advancePlan } from "@/lib/plans/advance-plan";
import { checkPlanWindow } from "@/lib/windows/windows";
import { assertTrusted } from "@/lib/fleet/trust";

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
  const plan = await db.upgradePlan.findUniqueOrThrow({ where: { id: planId }, include: { steps: true } });
  if (plan.state !== "failed" && plan.state !== "paused") throw new AppError("conflict", `Only a failed or paused plan can be resumed; this one is ${plan.state}.`);
  await assertTrusted(db, [plan.applianceId, ...(plan.nodes as { applianceId: string }[]).map((n) => n.applianceId)]);
  const window = await checkPlanWindow(db, planId);
  if (!window.ok) throw new AppError("precondition-failed", `Not resumed: ${window.message}`);
  const failed = plan.steps.filter((s) => s.state === "failed");
  await db.$transaction(async (tx) => {
    for (const s of failed) await tx.step.update({ where: { id: s.id }, data: { state: "pending", outcome: `resumed by ${actor.name} after: ${s.outcome ?? "failure"}` } });
    await tx.upgradePlan.update({ where: { id: planId }, data: { state: "running", stateReason: null } });
    await appendAuditEvent(tx, { actor, action: "plan-resumed", subjectType: "plan", subjectId: planId, data: { steps: failed.map((s) => s.key) } });
  });
  await appendPlanEvent(db, planId, { type: "plan-state", data: { state: "running", resumedBy: actor.name, steps: failed.map((s) => s.key) } });
  await advancePlan(db, planId);
}

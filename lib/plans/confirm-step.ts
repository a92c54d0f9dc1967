// An operator answers a waiting confirmation step; the worker then completes it and the plan
// moves on. Who confirmed, when and with what words is kept on the step and in the audit trail.
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";
import { appendAuditEvent, type Actor } from "@/lib/audit/append-audit-event";
import { appendPlanEvent } from "@/lib/events/plan-events";
import { advancePlan } from "@/lib/plans/advance-plan";

/** POST /api/plans/[id]/steps/[key]/confirm: the note is optional. */
export const ConfirmStepSchema = z.object({ note: z.string().trim().max(2000).default("") });

export async function confirmStep(db: Db, actor: Actor, planId: string, stepKey: string, note: string) {
  const step = await db.step.findUnique({ where: { planId_key: { planId, key: stepKey } } });
  if (!step) throw new AppError("not-found", `Plan ${planId} has no step ${stepKey}.`);
  if (step.kind !== "operator-confirm") throw new AppError("bad-input", `Step "${step.title}" is not a confirmation.`);
  if (step.state !== "waiting") throw new AppError("conflict", `Step "${step.title}" is ${step.state}, not waiting for a confirmation.`);
  const observed = { ...((step.observed ?? {}) as Record<string, unknown>), confirmedBy: actor.name, confirmedAt: new Date().toISOString(), note };
  await db.$transaction(async (tx) => {
    // Only a step still waiting is confirmed: two people answering at once confirm it once.
    const claimed = await tx.step.updateMany({ where: { id: step.id, state: "waiting" }, data: { state: "pending", observed: observed as Prisma.InputJsonValue } });
    if (claimed.count === 0) throw new AppError("conflict", `Step "${step.title}" was answered meanwhile.`);
    await appendAuditEvent(tx, { actor, action: "step-confirmed", subjectType: "plan", subjectId: planId, data: { step: stepKey, title: step.title, note } });
  });
  await appendPlanEvent(db, planId, { type: "step-state", stepKey, data: { state: "pending", confirmedBy: actor.name, note } });
  await advancePlan(db, planId);
}

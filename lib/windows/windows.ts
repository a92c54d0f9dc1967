// Maintenance windows: an operator requests one for a plan, an approver who did not request it
// decides, and the plan may then run only inside it (lib/domain/maintenance-window.ts).
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { appendAuditEvent, type Actor } from "@/lib/audit/append-audit-event";
import { appendPlanEvent } from "@/lib/events/plan-events";
import { notify } from "@/lib/notifications/emit-notification";
import { canDecide, checkWindow, needsWindow, validateWindowRequest, type WindowCheck, type WindowFacts } from "@/lib/domain/maintenance-window";

export const RequestWindowSchema = z.object({
  planId: z.string().uuid(),
  startsAt: z.coerce.date(),
  endsAt: z.coerce.date(),
  reason: z.string().trim().min(1, "reason: say why the downtime is needed").max(2000),
});

export const DecideWindowSchema = z.object({ decision: z.enum(["approve", "reject"]), comment: z.string().trim().max(2000).default("") });

function planPins(plan: { hops: unknown }) {
  return (plan.hops as { archiveId: string }[]).map((h) => h.archiveId);
}

export async function requestWindow(db: Db, actor: Actor, input: z.infer<typeof RequestWindowSchema>) {
  const plan = await db.upgradePlan.findUniqueOrThrow({ where: { id: input.planId } });
  if (!needsWindow(plan.method)) throw new AppError("bad-input", `A ${plan.method} plan keeps clients served and needs no maintenance window.`);
  const problem = validateWindowRequest({ startsAt: input.startsAt, endsAt: input.endsAt, now: new Date() });
  if (problem) throw new AppError("bad-input", problem);
  const window = await db.$transaction(async (tx) => {
    const created = await tx.maintenanceWindow.create({
      data: {
        planId: plan.id, startsAt: input.startsAt, endsAt: input.endsAt, method: plan.method, reason: input.reason, targetVersion: plan.targetVersion,
        archiveIds: planPins(plan), state: "requested", requestedBy: actor.name, requestedById: actor.id,
      },
    });
    await tx.upgradePlan.update({ where: { id: plan.id }, data: { windowId: created.id } });
    await appendAuditEvent(tx, { actor, action: "window-requested", subjectType: "plan", subjectId: plan.id, data: { windowId: created.id, startsAt: input.startsAt, endsAt: input.endsAt, reason: input.reason } });
    return created;
  });
  await appendPlanEvent(db, plan.id, { type: "plan-state", data: { window: "requested", startsAt: input.startsAt, endsAt: input.endsAt, by: actor.name } });
  await notify(db, "approval-needed", { kind: "window", windowId: window.id });
  return window;
}

export async function decideWindow(db: Db, actor: Actor & { role: string }, windowId: string, input: z.infer<typeof DecideWindowSchema>) {
  const window = await db.maintenanceWindow.findUniqueOrThrow({ where: { id: windowId } });
  const allowed = canDecide({ state: window.state as WindowFacts["state"], requestedById: window.requestedById }, { id: actor.id ?? "", role: actor.role });
  if (!allowed.ok) throw new AppError("forbidden", allowed.message);
  const state = input.decision === "approve" ? "approved" : "rejected";
  await db.$transaction(async (tx) => {
    // Decided once: a second approver answering at the same moment gets a conflict, not a second decision.
    const decided = await tx.maintenanceWindow.updateMany({ where: { id: windowId, state: window.state }, data: { state, decidedBy: actor.name, decidedById: actor.id, decisionComment: input.comment || null, decidedAt: new Date() } });
    if (decided.count === 0) throw new AppError("conflict", "The window was decided meanwhile; reload to see the decision.");
    await appendAuditEvent(tx, { actor, action: `window-${state}`, subjectType: "plan", subjectId: window.planId, data: { windowId, comment: input.comment } });
  });
  await appendPlanEvent(db, window.planId, { type: "plan-state", data: { window: state, by: actor.name, comment: input.comment } });
}

/** Whether the plan may start steps now, judged from its window. */
export async function checkPlanWindow(db: Db, planId: string, now = new Date()): Promise<WindowCheck> {
  const plan = await db.upgradePlan.findUniqueOrThrow({ where: { id: planId }, include: { window: true } });
  const w = plan.window;
  return checkWindow(
    { method: plan.method, targetVersion: plan.targetVersion, archiveIds: planPins(plan) },
    w ? { state: w.state as WindowFacts["state"], startsAt: w.startsAt, endsAt: w.endsAt, targetVersion: w.targetVersion, archiveIds: w.archiveIds, requestedById: w.requestedById } : null,
    now,
  );
}

export async function listWindows(db: Db) {
  return db.maintenanceWindow.findMany({ orderBy: { startsAt: "desc" }, take: 200, include: { plans: { select: { id: true, targetVersion: true, method: true, appliance: { select: { name: true } } } } } });
}

// "Pause after this node": the node whose change has begun is finished (back, checked, cleaned up)
// and nothing starts on the next one; advancePlan honours the flag as it honours a campaign's stop,
// then pauses the plan naming the upgraded and untouched nodes [O7]. Resume clears it.
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { appendAuditEvent, type Actor } from "@/lib/audit/append-audit-event";
import { appendPlanEvent } from "@/lib/events/plan-events";
import { advancePlan } from "@/lib/plans/advance-plan";
import { mayCancelPause, mayPauseAfterNode } from "@/lib/domain/plan-controls";

/** POST /api/plans/[id]/pause-after-node: no body asks for the pause; `pause: false` takes it back. */
export const PauseAfterNodeSchema = z.object({ pause: z.boolean().default(true) });

/** `pause` false takes a request back while the plan still runs. */
export async function setPauseAfterNode(db: Db, actor: Actor, planId: string, pause: boolean): Promise<{ pauseAfterNode: boolean; note: string }> {
  const plan = await db.upgradePlan.findUniqueOrThrow({ where: { id: planId }, include: { steps: true } });
  const facts = { ...plan, nodes: plan.nodes as { applianceId: string; name: string }[] };
  const verdict = pause ? mayPauseAfterNode(facts, plan.steps) : mayCancelPause(facts);
  if (!verdict.ok) throw new AppError("conflict", verdict.reason);
  const changed = await db.$transaction(async (tx) => {
    // Only while it runs: a plan that ended or paused meanwhile keeps its own state.
    const updated = await tx.upgradePlan.updateMany({ where: { id: planId, state: "running", pauseAfterNode: !pause }, data: { pauseAfterNode: pause } });
    if (updated.count === 0) return false;
    await appendAuditEvent(tx, { actor, action: pause ? "plan-pause-after-node-requested" : "plan-pause-after-node-cancelled", subjectType: "plan", subjectId: planId, data: { note: verdict.note } });
    return true;
  });
  if (!changed) throw new AppError("conflict", "The plan changed meanwhile; look at it again before asking.");
  await appendPlanEvent(db, planId, { type: "plan-state", data: { state: "running", pauseAfterNode: pause, by: actor.name, note: verdict.note } });
  // Nothing in flight: the plan pauses at once instead of at the next step's end.
  if (pause) await advancePlan(db, planId);
  return { pauseAfterNode: pause, note: verdict.note };
}

// Postgres is the truth, Redis only delivers: every few seconds, steps whose worker vanished
// (lease expired) go back to pending, and every running plan is advanced, which re-enqueues what
// is due. Losing Redis, or a worker, therefore loses no work.
import type { Db } from "@/lib/db/client";
import { appendPlanEvent } from "@/lib/events/plan-events";
import { advancePlan } from "@/lib/plans/advance-plan";
import { launchPlan } from "@/lib/plans/launch-plan";
import { checkPlanWindow } from "@/lib/windows/windows";
import { logger } from "@/lib/log/logger";
import { advanceCampaigns } from "@/lib/campaigns/advance-campaign";
import { requeuePendingDeliveries } from "@/lib/notifications/emit-notification";

export async function reconcileOnce(db: Db): Promise<{ requeued: number; plans: number }> {
  const stale = await db.step.findMany({ where: { state: "running", leaseUntil: { lt: new Date() }, plan: { state: "running" } }, select: { id: true, planId: true, key: true } });
  for (const s of stale) {
    const reset = await db.step.updateMany({ where: { id: s.id, state: "running", leaseUntil: { lt: new Date() } }, data: { state: "pending", leaseUntil: null, outcome: "interrupted: its worker stopped; resuming from what the appliance shows" } });
    if (reset.count) await appendPlanEvent(db, s.planId, { type: "step-state", stepKey: s.key, data: { state: "pending", outcome: "interrupted; resuming" } });
  }
  // Plans scheduled for their window's opening start once it is open.
  const scheduled = await db.upgradePlan.findMany({ where: { scheduled: true, state: { in: ["ready", "prechecked", "draft"] } }, select: { id: true } });
  for (const p of scheduled) {
    if (!(await checkPlanWindow(db, p.id)).ok) continue;
    await launchPlan(db, { type: "system", id: null, name: "scheduler (window opened)" }, p.id).catch(async (e: unknown) => {
      await db.upgradePlan.update({ where: { id: p.id }, data: { scheduled: false, stateReason: `Scheduled start refused: ${e instanceof Error ? e.message : String(e)}` } });
    });
  }
  // Prepared offline plans go on once their window opens.
  const waiting = await db.upgradePlan.findMany({ where: { scheduled: true, state: "paused" }, select: { id: true } });
  for (const p of waiting) {
    if (!(await checkPlanWindow(db, p.id)).ok) continue;
    const resumed = await db.upgradePlan.updateMany({ where: { id: p.id, state: "paused", scheduled: true }, data: { state: "running", scheduled: false, stateReason: null } });
    if (resumed.count) await appendPlanEvent(db, p.id, { type: "plan-state", data: { state: "running", reason: "the approved window opened" } });
  }
  const running = await db.upgradePlan.findMany({ where: { state: "running" }, select: { id: true } });
  for (const p of running) await advancePlan(db, p.id);
  // Campaign passes may read appliances (soak health checks): they run beside this loop, one per
  // campaign at a time in this process, so a slow appliance never holds up the plans.
  void advanceCampaigns(db).catch((e: unknown) => logger.warn({ err: e }, "campaign passes failed"));
  // Webhook deliveries Postgres says are pending get their jobs back (ids are per delivery: no duplicates).
  await requeuePendingDeliveries(db).catch((e: unknown) => logger.warn({ err: e }, "webhook requeue failed"));
  return { requeued: stale.length, plans: running.length };
}

export function startReconciler(db: Db, everyMs = 5_000): () => void {
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    reconcileOnce(db).catch((e: unknown) => logger.warn({ err: e }, "reconcile failed")).finally(() => { busy = false; });
  }, everyMs);
  return () => clearInterval(timer);
}

// Every plan state change is a PlanEvent row, numbered per plan, then announced on Redis.
// Postgres is the record; Redis pub/sub only wakes listeners, which re-read from Postgres.
import type { Db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { getSharedRedis } from "@/lib/queue/connection";
import { getConfig } from "@/lib/config";

export type PlanEventType =
  | "plan-state" | "step-state" | "step-log" | "step-progress" | "precheck" | "backup" | "warning";

export interface PlanEventInput {
  type: PlanEventType;
  stepKey?: string;
  data: Record<string, unknown>;
}

export function planChannel(planId: string): string {
  return `${getConfig().queuePrefix}:plan-events:${planId}`;
}

export async function appendPlanEvents(db: Db, planId: string, events: PlanEventInput[]): Promise<number> {
  if (events.length === 0) return 0;
  const seq = await db.$transaction(async (tx) => {
    const plan = await tx.upgradePlan.update({
      where: { id: planId },
      data: { lastEventSeq: { increment: events.length } },
      select: { lastEventSeq: true },
    });
    const first = plan.lastEventSeq - events.length + 1;
    await tx.planEvent.createMany({
      data: events.map((e, i) => ({
        planId,
        seq: first + i,
        type: e.type,
        stepKey: e.stepKey ?? null,
        data: JSON.parse(JSON.stringify(e.data)) as Prisma.InputJsonValue,
      })),
    });
    return plan.lastEventSeq;
  });
  await getSharedRedis("publisher").publish(planChannel(planId), String(seq)).catch(() => {
    // Listeners also poll, so a lost wake-up delays an event but never loses it.
  });
  return seq;
}

export async function appendPlanEvent(db: Db, planId: string, event: PlanEventInput): Promise<number> {
  return appendPlanEvents(db, planId, [event]);
}

export async function readPlanEvents(db: Db, planId: string, afterSeq: number, limit = 500) {
  return db.planEvent.findMany({ where: { planId, seq: { gt: afterSeq } }, orderBy: { seq: "asc" }, take: limit });
}

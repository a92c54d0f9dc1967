// Every plan state change is a PlanEvent row, numbered per plan, then announced on Redis.
// Postgres is the record; Redis pub/sub only wakes listeners, which re-read from Postgres.
import type { Db } from "@/lib/db/client";
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
  const n = events.length;
  // One statement, so one round trip: the plan's counter moves and the rows are written together
  // (an interactive transaction took four, each waiting its turn on a busy worker's event loop,
  // and every viewer waits for the commit). The time is the writer's own clock when it asked.
  const rows = await db.$queryRaw<{ seq: number }[]>`
    WITH plan AS (
      UPDATE "UpgradePlan" SET "lastEventSeq" = "lastEventSeq" + ${n}::int WHERE id = ${planId}::uuid RETURNING "lastEventSeq"
    )
    INSERT INTO "PlanEvent" ("planId", seq, type, "stepKey", data, "createdAt")
    SELECT ${planId}::uuid, plan."lastEventSeq" - ${n}::int + e.ord::int, e.type, e.step_key, e.data, ${new Date()}
    FROM plan, unnest(
      ${events.map((e) => e.type)}::text[], ${events.map((e) => e.stepKey ?? null)}::text[], ${events.map((e) => JSON.stringify(e.data))}::jsonb[]
    ) WITH ORDINALITY AS e(type, step_key, data, ord)
    RETURNING seq`;
  if (rows.length === 0) throw new Error(`plan ${planId} does not exist: its events cannot be recorded`);
  const seq = Math.max(...rows.map((r) => r.seq));
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

// Every plan state change is a PlanEvent row, numbered per plan, then announced on Redis.
// Postgres is the record. The announcement carries the rows just written, so a web process can hand
// them to its viewers without reading them back; a viewer that finds a gap in the numbers, or
// reconnects, reads from Postgres (lib/events/plan-feed.ts, lib/events/watch-plan.ts).
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

/** One stored event as a viewer receives it (the `data` of an SSE `plan` event). */
export interface PlanEventWire {
  seq: number;
  type: string;
  stepKey: string | null;
  data: unknown;
  /** The writer's clock when it asked to write, ISO 8601. */
  at: string;
}

/** An announcement on a plan's channel: the highest sequence number written, and the rows when small enough. */
export interface PlanAnnouncement {
  seq: number;
  events: PlanEventWire[] | null;
}

/** Above this, an announcement says only the sequence number and listeners read the rows from Postgres. */
export const MAX_ANNOUNCED_BYTES = 64 * 1024;

export function planChannel(planId: string): string {
  return `${getConfig().queuePrefix}:plan-events:${planId}`;
}

interface StoredEvent { seq: number; type: string; stepKey: string | null; data: unknown; createdAt: Date | string }

export function toWire(e: StoredEvent): PlanEventWire {
  return { seq: e.seq, type: e.type, stepKey: e.stepKey, data: e.data, at: new Date(e.createdAt).toISOString() };
}

/** The message published after a write: the rows as JSON, or only the last sequence number when they are large. */
export function announcement(events: PlanEventWire[]): string {
  const seq = Math.max(...events.map((e) => e.seq));
  const full = JSON.stringify({ seq, events } satisfies PlanAnnouncement);
  return full.length <= MAX_ANNOUNCED_BYTES ? full : String(seq);
}

/** Reads a channel message; a bare number (older writers, large batches) is a wake-up without rows. Null when unreadable. */
export function parseAnnouncement(message: string): PlanAnnouncement | null {
  if (/^\d+$/.test(message)) return { seq: Number(message), events: null };
  try {
    const parsed = JSON.parse(message) as Partial<PlanAnnouncement>;
    if (typeof parsed.seq !== "number") return null;
    const events = Array.isArray(parsed.events) && parsed.events.every((e) => typeof e?.seq === "number") ? parsed.events : null;
    return { seq: parsed.seq, events: events ? [...events].sort((a, b) => a.seq - b.seq) : null };
  } catch {
    return null;
  }
}

export async function appendPlanEvents(db: Db, planId: string, events: PlanEventInput[]): Promise<number> {
  if (events.length === 0) return 0;
  const n = events.length;
  // One statement, so one round trip: the plan's counter moves and the rows are written together
  // (an interactive transaction took four, each waiting its turn on a busy worker's event loop,
  // and every viewer waits for the commit). The time is the writer's own clock when it asked.
  // The rows come back as stored (jsonb's own key order), so the announcement and a later read
  // from Postgres give a viewer the same text.
  const rows = await db.$queryRaw<StoredEvent[]>`
    WITH plan AS (
      UPDATE "UpgradePlan" SET "lastEventSeq" = "lastEventSeq" + ${n}::int WHERE id = ${planId}::uuid RETURNING "lastEventSeq"
    )
    INSERT INTO "PlanEvent" ("planId", seq, type, "stepKey", data, "createdAt")
    SELECT ${planId}::uuid, plan."lastEventSeq" - ${n}::int + e.ord::int, e.type, e.step_key, e.data, ${new Date()}
    FROM plan, unnest(
      ${events.map((e) => e.type)}::text[], ${events.map((e) => e.stepKey ?? null)}::text[], ${events.map((e) => JSON.stringify(e.data))}::jsonb[]
    ) WITH ORDINALITY AS e(type, step_key, data, ord)
    RETURNING seq, type, "stepKey", data, "createdAt"`;
  if (rows.length === 0) throw new Error(`plan ${planId} does not exist: its events cannot be recorded`);
  const wire = rows.map(toWire).sort((a, b) => a.seq - b.seq);
  // Published after the statement committed (it runs outside any transaction: Db is never one), so
  // a listener never hands out a row that could still be rolled back.
  await getSharedRedis("publisher").publish(planChannel(planId), announcement(wire)).catch(() => {
    // Listeners also poll, so a lost announcement delays an event but never loses it.
  });
  return wire[wire.length - 1]!.seq;
}

export async function appendPlanEvent(db: Db, planId: string, event: PlanEventInput): Promise<number> {
  return appendPlanEvents(db, planId, [event]);
}

export async function readPlanEvents(db: Db, planId: string, afterSeq: number, limit = 500) {
  return db.planEvent.findMany({ where: { planId, seq: { gt: afterSeq } }, orderBy: { seq: "asc" }, take: limit });
}

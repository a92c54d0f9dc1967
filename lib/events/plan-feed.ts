// One follower per plan per web process, shared by every open event stream of that plan. It hears
// the plan's announcements (lib/events/plan-events.ts: the rows just written) and hands each new
// event to every stream at once, in sequence order; only when an announcement is missing rows (a
// gap, a large batch, a lost message) or a poll comes due does it read Postgres, once for all the
// plan's viewers. Fifty viewers of one plan used to mean fifty reads of the same rows per event,
// queued on the web process's ten database connections: that queue was the latency's tail.
// A stream still checks every sequence number it is handed and reads Postgres itself on a gap, so
// this feed can only make events arrive sooner, never out of order, twice or not at all.
import type { Db } from "@/lib/db/client";
import { onWakeUp } from "@/lib/events/plan-wakeups";
import { parseAnnouncement, planChannel, readPlanEvents, toWire, type PlanEventWire } from "@/lib/events/plan-events";

export type FeedSink = (events: PlanEventWire[]) => void;

export interface FeedMembership {
  /** Resolves once the feed hears the plan's channel and knows where the plan's events stand. */
  ready: Promise<void>;
  /** Asks for a read from Postgres unless one began within the last `pollMs / 2` (the streams' polls share it). */
  poll(pollMs: number): void;
  leave(): void;
}

const PAGE = 500;

class PlanFeed {
  private readonly sinks = new Set<FeedSink>();
  /** The highest sequence number handed to the sinks; null until the plan's counter was read (start). */
  private last: number | null = null;
  private reading: Promise<void> | null = null;
  private again = false;
  private lastReadAt = 0;
  private stopListening: (() => void) | null = null;
  private closed = false;
  /** Its start failed: a stream joining now gets a new feed instead. */
  failed = false;
  readonly ready: Promise<void>;

  constructor(private readonly db: Db, private readonly planId: string) {
    this.ready = this.start();
    // Each stream awaits it and ends on its failure; the feed only notes it (so the next stream
    // starts a new feed) and Node does not call it unhandled.
    this.ready.catch(() => { this.failed = true; });
  }

  /**
   * Listens first, then reads where the plan's events stand: an announcement heard in between is
   * read from Postgres once that is known. Rejects when Postgres does not answer: the streams end
   * and browsers reconnect, rather than a feed that does not know where to start.
   */
  private async start(): Promise<void> {
    const stop = await onWakeUp(planChannel(this.planId), (message) => this.heard(message));
    if (this.closed) { stop(); return; }
    this.stopListening = stop;
    const plan = await this.db.upgradePlan.findUnique({ where: { id: this.planId }, select: { lastEventSeq: true } });
    // The streams replay everything up to here from Postgres themselves.
    this.last = plan?.lastEventSeq ?? 0;
    if (this.again) void this.read();
  }

  join(sink: FeedSink): void {
    this.sinks.add(sink);
  }

  /** Returns true when the last sink left: the feed is closed and must be forgotten. */
  part(sink: FeedSink): boolean {
    this.sinks.delete(sink);
    if (this.sinks.size > 0) return false;
    this.closed = true;
    this.stopListening?.();
    this.stopListening = null;
    return true;
  }

  poll(pollMs: number): void {
    if (this.last !== null && Date.now() - this.lastReadAt >= pollMs / 2) void this.read();
  }

  private heard(message: string): void {
    if (this.last === null) { this.again = true; return; }
    const note = parseAnnouncement(message);
    if (note && note.seq <= this.last) return;
    // Rows that follow on from the last handed out go straight to the streams; anything else
    // (no rows, a gap behind them) is read from Postgres.
    if (note?.events && this.offer(note.events)) return;
    void this.read();
  }

  /**
   * Hands out the events after `last` that follow on from it without a hole. False when a hole
   * comes first or midway: the rest must come from Postgres.
   */
  private offer(events: readonly PlanEventWire[]): boolean {
    const fresh: PlanEventWire[] = [];
    let next = this.last! + 1;
    let whole = true;
    for (const e of events) {
      if (e.seq < next) continue;
      if (e.seq !== next) { whole = false; break; }
      fresh.push(e);
      next++;
    }
    if (fresh.length) {
      this.last = next - 1;
      for (const sink of this.sinks) sink(fresh);
    }
    return whole;
  }

  /** One read at a time; a request that comes during one makes it read again when done. */
  private read(): Promise<void> {
    if (this.reading) {
      this.again = true;
      return this.reading;
    }
    this.reading = (async () => {
      try {
        do {
          this.again = false;
          this.lastReadAt = Date.now();
          const rows = await readPlanEvents(this.db, this.planId, this.last!, PAGE);
          this.offer(rows.map(toWire));
          if (rows.length === PAGE) this.again = true;
        } while (this.again && !this.closed);
      } catch {
        // Postgres unreachable: the next announcement or poll tries again, and streams read on gaps.
      } finally {
        this.reading = null;
      }
    })();
    return this.reading;
  }
}

// On globalThis: each Next route is a bundle of its own within one process. Keyed by the database
// client too, so a stream handed another client (tests) never reads through someone else's.
const KEY = Symbol.for("fleet-upgrade-console.plan-feeds");

function feeds(db: Db): Map<string, PlanFeed> {
  const g = globalThis as typeof globalThis & { [KEY]?: WeakMap<Db, Map<string, PlanFeed>> };
  g[KEY] ??= new WeakMap();
  let byPlan = g[KEY].get(db);
  if (!byPlan) g[KEY].set(db, (byPlan = new Map()));
  return byPlan;
}

/**
 * Hands `sink` every event of the plan written from about now on, in order, in batches. Join
 * before replaying from Postgres: the replay and the feed then overlap, and the stream drops what
 * it already sent by sequence number.
 */
export function joinPlanFeed(db: Db, planId: string, sink: FeedSink): FeedMembership {
  const byPlan = feeds(db);
  let feed = byPlan.get(planId);
  if (!feed || feed.failed) byPlan.set(planId, (feed = new PlanFeed(db, planId)));
  feed.join(sink);
  const own = feed;
  let left = false;
  return {
    ready: own.ready,
    poll: (pollMs) => own.poll(pollMs),
    leave: () => {
      if (left) return;
      left = true;
      if (own.part(sink) && byPlan.get(planId) === own) byPlan.delete(planId);
    },
  };
}

/** The plans with a feed open for `db` now (tests: a closed stream leaves none behind). */
export function openFeeds(db: Db): string[] {
  return [...feeds(db).keys()];
}

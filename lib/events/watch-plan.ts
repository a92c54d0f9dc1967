// Server-Sent Events for one plan: replay from Postgres after Last-Event-ID, then follow. New
// events come from the plan's feed (lib/events/plan-feed.ts: one per plan per process, fed by the
// writers' announcements), which every viewer of the plan shares; the stream sends an event only
// when its sequence number is the next one, and reads Postgres itself on a gap, so a reconnect, a
// lost message or a second viewer never sees a gap, a repeat or a different order.
import type { Db } from "@/lib/db/client";
import { joinPlanFeed } from "@/lib/events/plan-feed";
import { readPlanEvents, toWire, type PlanEventWire } from "@/lib/events/plan-events";
import { SHUTDOWN_EVENT } from "@/lib/http/web-shutdown";

export interface WatchOptions {
  keepaliveMs?: number;
  pollMs?: number;
  now?: () => number;
  /** Aborts when the server is stopping: the stream says so, asks for a quick retry, and ends. */
  drain?: AbortSignal;
}

const PAGE = 500;

// The feed hands the same event objects to every viewer of the plan: each is turned into text once.
const texts = new WeakMap<PlanEventWire, string>();

function sseText(e: PlanEventWire): string {
  let text = texts.get(e);
  if (text === undefined) {
    text = `id: ${e.seq}\nevent: plan\ndata: ${JSON.stringify(e)}\n\n`;
    texts.set(e, text);
  }
  return text;
}

export function watchPlanEvents(db: Db, planId: string, afterSeq: number, signal: AbortSignal, opts: WatchOptions = {}): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const keepaliveMs = opts.keepaliveMs ?? 15_000;
  const pollMs = opts.pollMs ?? 2_000;
  let last = afterSeq;
  return new ReadableStream<Uint8Array>({
    async start(controller) {
      // Events the feed handed over while the loop was busy wait here, so none is lost, and the
      // loop takes them at once instead of sleeping until the next poll.
      let inbox: PlanEventWire[] = [];
      let wake: (() => void) | null = null;
      const drain = opts.drain;
      const closed = new Promise<void>((resolve) => {
        signal.addEventListener("abort", () => resolve(), { once: true });
        drain?.addEventListener("abort", () => resolve(), { once: true });
      });
      const send = (text: string) => { try { controller.enqueue(encoder.encode(text)); } catch { /* closed by the client */ } };
      /** Sends the events that follow on from `last`, in one write; false at a gap (Postgres has the rest). */
      const sendInOrder = (events: readonly PlanEventWire[]): boolean => {
        let text = "";
        let whole = true;
        for (const e of events) {
          if (e.seq <= last) continue;
          if (e.seq !== last + 1) { whole = false; break; }
          text += sseText(e);
          last = e.seq;
        }
        if (text) send(text);
        return whole;
      };
      // Joined before the first read, so nothing written in between goes unheard.
      const feed = joinPlanFeed(db, planId, (events) => { inbox.push(...events); wake?.(); });
      try {
        await feed.ready;
        send("retry: 2000\n\n");
        let lastKeepalive = Date.now();
        // Read Postgres at the start (the replay) and whenever the feed's events do not follow on.
        let read = true;
        while (!signal.aborted && !drain?.aborted) {
          if (read) {
            const rows = await readPlanEvents(db, planId, last, PAGE);
            sendInOrder(rows.map(toWire));
            read = rows.length === PAGE; // more to replay
            continue;
          }
          const batch = inbox;
          inbox = [];
          if (!sendInOrder(batch)) { read = true; continue; }
          if (inbox.length) continue; // more handed over meanwhile
          if (Date.now() - lastKeepalive > keepaliveMs) { send(": keepalive\n\n"); lastKeepalive = Date.now(); }
          let timer: NodeJS.Timeout | undefined;
          let due = false;
          await Promise.race([closed, new Promise<void>((resolve) => { wake = resolve; timer = setTimeout(() => { due = true; resolve(); }, pollMs); })]);
          clearTimeout(timer);
          wake = null;
          // A lost announcement: the feed reads Postgres (once for all the plan's viewers) and hands over what it finds.
          if (due) feed.poll(pollMs);
        }
        // The browser reconnects in a second with Last-Event-ID, to another instance or this one restarted.
        if (drain?.aborted && !signal.aborted) send(SHUTDOWN_EVENT);
      } finally {
        feed.leave();
        try { controller.close(); } catch { /* already closed */ }
      }
    },
  });
}

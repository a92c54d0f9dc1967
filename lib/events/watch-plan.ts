// Server-Sent Events for one plan: replay from Postgres after Last-Event-ID, then follow. A Redis
// message (one subscriber per process, lib/events/plan-wakeups.ts) only wakes the loop; events are
// always read from Postgres by sequence number, so a reconnect, a lost message or a second viewer
// never sees a gap or a different order.
import type { Db } from "@/lib/db/client";
import { onWakeUp } from "@/lib/events/plan-wakeups";
import { planChannel, readPlanEvents } from "@/lib/events/plan-events";
import { SHUTDOWN_EVENT } from "@/lib/http/web-shutdown";

export interface WatchOptions {
  keepaliveMs?: number;
  pollMs?: number;
  now?: () => number;
  /** Aborts when the server is stopping: the stream says so, asks for a quick retry, and ends. */
  drain?: AbortSignal;
}

export function watchPlanEvents(db: Db, planId: string, afterSeq: number, signal: AbortSignal, opts: WatchOptions = {}): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const keepaliveMs = opts.keepaliveMs ?? 15_000;
  const pollMs = opts.pollMs ?? 2_000;
  let last = afterSeq;
  return new ReadableStream<Uint8Array>({
    async start(controller) {
      // A wake-up that comes while the events are being read must not be lost: it is remembered,
      // and the loop reads again at once instead of sleeping until the next poll.
      let woken = false;
      let wake: (() => void) | null = null;
      const drain = opts.drain;
      const closed = new Promise<void>((resolve) => {
        signal.addEventListener("abort", () => resolve(), { once: true });
        drain?.addEventListener("abort", () => resolve(), { once: true });
      });
      const send = (text: string) => { try { controller.enqueue(encoder.encode(text)); } catch { /* closed by the client */ } };
      // Subscribed before the first read, so nothing written in between goes unannounced.
      const stopListening = await onWakeUp(planChannel(planId), () => { woken = true; wake?.(); });
      send("retry: 2000\n\n");
      let lastKeepalive = Date.now();
      try {
        while (!signal.aborted && !drain?.aborted) {
          woken = false;
          const events = await readPlanEvents(db, planId, last);
          for (const e of events) {
            send(`id: ${e.seq}\nevent: plan\ndata: ${JSON.stringify({ seq: e.seq, type: e.type, stepKey: e.stepKey, data: e.data, at: e.createdAt })}\n\n`);
            last = e.seq;
          }
          if (events.length === 500 || woken) continue; // more to replay, or more written meanwhile
          if (Date.now() - lastKeepalive > keepaliveMs) { send(": keepalive\n\n"); lastKeepalive = Date.now(); }
          let timer: NodeJS.Timeout | undefined;
          await Promise.race([closed, new Promise<void>((resolve) => { wake = resolve; timer = setTimeout(resolve, pollMs); })]);
          clearTimeout(timer);
          wake = null;
        }
        // The browser reconnects in a second with Last-Event-ID, to another instance or this one restarted.
        if (drain?.aborted && !signal.aborted) send(SHUTDOWN_EVENT);
      } finally {
        stopListening();
        try { controller.close(); } catch { /* already closed */ }
      }
    },
  });
}

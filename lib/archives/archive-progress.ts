// How far an upload is: bytes received (each checked as it passes), then the verdict.
// It changes by the second and matters only while someone watches, so it lives in Redis for an
// hour under the upload's ticket (a random id the browser picks), never in Postgres.
import { z } from "zod";
import { getConfig } from "@/lib/config";
import { getSharedRedis } from "@/lib/queue/connection";

const KEEP_SECONDS = 3600;
/** At most four writes a second: enough for a smooth bar, nothing the verifier would notice. */
const MIN_INTERVAL_MS = 250;

export const UploadTicketSchema = z.string().uuid("ticket: a random UUID chosen by the uploader");

export const ArchiveProgressSchema = z.object({
  archiveId: z.string(),
  phase: z.enum(["receiving", "verifying", "verified", "refused"]),
  /** Bytes received (receiving), or all of them once the last is in (verifying: the verdict is awaited). */
  done: z.number(),
  /** Bytes announced by the upload (receiving) or received (verifying); 0 when not known. */
  total: z.number(),
  /** When the current phase started and when this record was written (ms since the epoch). */
  startedAt: z.number(),
  at: z.number(),
  reason: z.string().nullable(),
});
export type ArchiveProgress = z.infer<typeof ArchiveProgressSchema>;

const key = (ticket: string) => `${getConfig().queuePrefix}:archive-progress:${ticket}`;

export interface ProgressReporter {
  /** Throttled; a change of phase is always written. Never waits and never throws. */
  report(phase: ArchiveProgress["phase"], done: number, total: number, reason?: string): void;
  /** Resolves when every write so far is done (tests, and the last word of an upload). */
  flush(): Promise<void>;
}

export function createProgressReporter(ticket: string | undefined, archiveId: string, now: () => number = Date.now): ProgressReporter {
  let last: ArchiveProgress | null = null;
  let pending: Promise<unknown> = Promise.resolve();
  return {
    report(phase, done, total, reason) {
      if (!ticket) return;
      const at = now();
      const changed = last?.phase !== phase;
      const verdict = phase === "verified" || phase === "refused";
      if (!changed && !verdict && !(total > 0 && done >= total) && last && at - last.at < MIN_INTERVAL_MS) return;
      // A verdict keeps the start of the phase it ends, so the uploader can see how long verifying took.
      const startedAt = last && (!changed || verdict) ? last.startedAt : at;
      last = { archiveId, phase, done, total, startedAt, at, reason: reason ?? null };
      // ioredis sends commands in order on one connection, so records land in the order made.
      pending = getSharedRedis("producer").set(key(ticket), JSON.stringify(last), "EX", KEEP_SECONDS).catch(() => {
        // Progress is a courtesy: a Redis hiccup must never fail an upload.
      });
    },
    flush: () => pending.then(() => undefined),
  };
}

export async function readArchiveProgress(ticket: string): Promise<ArchiveProgress | null> {
  const raw = await getSharedRedis("producer").get(key(ticket));
  const parsed = raw ? ArchiveProgressSchema.safeParse(JSON.parse(raw)) : null;
  return parsed?.success ? parsed.data : null;
}

// Rate and time left of a transfer from what was observed: the recent samples when there are
// some (a stalled or sped-up transfer shows at once), else the average since it started.

export interface TransferSample { at: number; bytes: number }

export interface TransferEstimate {
  /** 0..1; null when the total is not known. */
  fraction: number | null;
  /** Bytes per second; 0 when nothing is known to move. */
  rate: number;
  /** Seconds left at that rate; null when it cannot be said (no total, no rate); 0 when done. */
  etaSeconds: number | null;
}

/** Samples older than this before the newest one do not count towards the current rate. */
export const RATE_WINDOW_MS = 5_000;

export function estimateTransfer(input: { done: number; total: number | null; startedAt: number; now: number; samples?: readonly TransferSample[] }): TransferEstimate {
  const { done, total, startedAt, now } = input;
  const known = total !== null && total > 0;
  const fraction = known ? Math.min(1, Math.max(0, done / total)) : null;
  if (known && done >= total) return { fraction, rate: averageRate(done, startedAt, now, 0), etaSeconds: 0 };
  const recent = recentRate(input.samples ?? []);
  const rate = recent ?? averageRate(done, startedAt, now);
  return { fraction, rate, etaSeconds: known && rate > 0 ? (total - done) / rate : null };
}

/** Below this, an average says more about the clock than the transfer (a first buffer fills at once). */
export const MIN_AVERAGE_MS = 1_000;

function averageRate(done: number, startedAt: number, now: number, minMs = MIN_AVERAGE_MS): number {
  const ms = now - startedAt;
  return ms > 0 && ms >= minMs && done > 0 ? done / (ms / 1000) : 0;
}

function recentRate(samples: readonly TransferSample[]): number | null {
  if (samples.length < 2) return null;
  const last = samples[samples.length - 1]!;
  const first = samples.find((s) => last.at - s.at <= RATE_WINDOW_MS) ?? last;
  if (first === last || last.at <= first.at) return null;
  return Math.max(0, (last.bytes - first.bytes) / ((last.at - first.at) / 1000));
}

/** Keeps the samples a rate needs: the newest first-seen per time, within the window. */
export function addSample(samples: readonly TransferSample[], sample: TransferSample): TransferSample[] {
  const kept = samples.filter((s) => sample.at - s.at <= RATE_WINDOW_MS && s.at < sample.at && s.bytes <= sample.bytes);
  return [...kept, sample];
}

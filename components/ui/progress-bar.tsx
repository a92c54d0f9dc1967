import { formatBytes, formatDuration } from "@/components/ui/format";

/** Bytes, rate and time left: what a person needs to decide whether to wait. */
export function ProgressBar({ done, total, startedAt, label }: { done: number; total: number; startedAt: number; label?: string }) {
  const pct = total > 0 ? Math.min(100, (done / total) * 100) : 0;
  const elapsed = (Date.now() - startedAt) / 1000;
  const rate = elapsed > 0 ? done / elapsed : 0;
  const left = rate > 0 ? ((total - done) / rate) * 1000 : null;
  return (
    <div>
      <div className="mb-1 flex justify-between text-xs text-slate-600 dark:text-slate-400">
        <span>{label}</span>
        <span>{formatBytes(done)} of {formatBytes(total)} · {formatBytes(rate)}/s · {done >= total ? "done" : `${formatDuration(left)} left`}</span>
      </div>
      <div className="h-2 w-full overflow-hidden rounded bg-slate-200 dark:bg-slate-800" role="progressbar" aria-valuenow={Math.round(pct)} aria-valuemin={0} aria-valuemax={100}>
        <div className="h-full bg-sky-600 transition-all" style={{ width: `${pct}%` }} />
      </div>
    </div>
  );
}

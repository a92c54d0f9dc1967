"use client";
import { useEffect, useState } from "react";
import { formatBytes, formatDuration } from "./format";
import { estimateTransfer, type TransferSample } from "./transfer";

export interface TransferProgressProps {
  label: string;
  done: number;
  /** null: the size is not known yet (the bar then only shows that something moves). */
  total: number | null;
  startedAt: number;
  samples?: readonly TransferSample[];
  /** Finished: the bar is full and the line says how long it took. */
  finishedAt?: number | null;
  testId?: string;
}

/** A bar with bytes, rate and time left, redrawn every second so the time left keeps moving. */
export function TransferProgress({ label, done, total, startedAt, samples, finishedAt, testId }: TransferProgressProps) {
  const now = useNow(finishedAt ? null : 1000);
  const at = finishedAt ?? now;
  const e = estimateTransfer({ done, total, startedAt, now: at, samples });
  const finished = Boolean(finishedAt) || e.etaSeconds === 0;
  const numbers = `${formatBytes(done)}${total !== null ? ` of ${formatBytes(total)}` : ""}`;
  const speed = e.rate > 0 ? `${formatBytes(e.rate)}/s` : "waiting for data";
  const left = finished ? `done in ${formatDuration(Math.max(0, at - startedAt))}` : e.etaSeconds === null ? "time left not known yet" : `about ${formatDuration(e.etaSeconds * 1000)} left`;
  const text = `${numbers} · ${speed} · ${left}`;
  const pct = e.fraction === null ? null : Math.round(e.fraction * 100);
  return (
    <div data-testid={testId} data-done={finished ? "true" : "false"}>
      <div className="mb-1 flex flex-wrap justify-between gap-x-3 text-xs">
        <span className="font-medium">{label}</span>
        <span className="tabular-nums text-slate-600" data-testid={testId ? `${testId}-numbers` : undefined}>{text}</span>
      </div>
      <div className="h-2 w-full overflow-hidden rounded bg-slate-200" role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct ?? undefined} aria-valuetext={text}>
        <div className={`h-full ${finished ? "bg-emerald-700" : "bg-sky-600"} ${pct === null ? "w-1/3 animate-pulse" : "transition-[width]"}`} style={pct === null ? undefined : { width: `${pct}%` }} />
      </div>
    </div>
  );
}

/** The current time, renewed every `everyMs` (null: not at all). */
export function useNow(everyMs: number | null): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (everyMs === null) return;
    const t = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(t);
  }, [everyMs]);
  return now;
}

"use client";
// The procedure's warnings when they matter: "ahead" before the moment, "now" while it lasts.
// Derived from the plan's steps (lib/domain/plan-warnings.ts), so every viewer sees the same.
import type { PlanWarning } from "@/lib/domain/plan-warnings";
import type { LiveWarning } from "./use-plan-events";

export function WarningBanners({ warnings, other }: { warnings: PlanWarning[]; other: LiveWarning[] }) {
  if (warnings.length === 0 && other.length === 0) return null;
  return (
    <div className="space-y-2" aria-label="Warnings">
      {warnings.map((w) => w.phase === "now" ? (
        <div key={w.id} role="alert" data-testid={`warning-${w.id}`} data-phase="now" className="flex gap-3 rounded border-2 border-amber-500 bg-amber-100 px-3 py-2 text-sm text-amber-950 dark:bg-amber-950 dark:text-amber-50">
          <span className="shrink-0 self-start rounded bg-amber-600 px-1.5 py-0.5 text-xs font-semibold uppercase tracking-wide text-white">Now</span>
          <p className="font-medium">{w.text}</p>
        </div>
      ) : (
        <div key={w.id} role="note" data-testid={`warning-${w.id}`} data-phase="upcoming" className="flex gap-3 rounded border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950/50 dark:text-amber-100">
          <span className="shrink-0 self-start rounded border border-amber-400 px-1.5 py-0.5 text-xs font-semibold uppercase tracking-wide">Ahead</span>
          <p>{w.text}</p>
        </div>
      ))}
      {other.map((w) => <p key={w.seq} role="alert" className="rounded border border-amber-400 bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-100">Warning: {w.text}</p>)}
    </div>
  );
}

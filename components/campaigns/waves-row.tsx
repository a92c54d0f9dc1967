// The waves side by side: state, counts by state, soak countdown, approval. The current one stands out.
import { Badge, StateBadge } from "@/components/ui/badge";
import { formatDuration } from "@/components/ui/format";
import { StateCounts } from "./counts";
import type { WaveView } from "./campaign-types";

export function WavesRow({ waves, now, approvals }: { waves: WaveView[]; now: number; approvals: boolean }) {
  if (waves.length === 0) return <p className="text-sm text-slate-500">No wave: no target of this campaign can be planned.</p>;
  return (
    <ol className="flex items-start gap-3 overflow-x-auto pb-1" aria-label="Waves">
      {waves.map((w) => {
        const soakLeft = w.state === "soaking" && w.soakUntil ? Math.max(0, Date.parse(w.soakUntil) - now) : null;
        return (
          <li key={w.id} data-testid={`wave-${w.index}`} data-state={w.state} aria-current={w.current ? "step" : undefined}
            className={`min-w-[14rem] flex-1 rounded-lg border bg-white p-3 text-sm shadow-sm dark:bg-slate-900 ${w.current ? "border-sky-500 ring-1 ring-sky-500" : "border-slate-200 dark:border-slate-800"}`}>
            <div className="flex items-start justify-between gap-2">
              <h3 className="font-semibold">{w.index + 1}. {w.name}</h3>
              <StateBadge state={w.state} />
            </div>
            <p className="mt-0.5 text-xs text-slate-500">{w.targetCount} target{w.targetCount === 1 ? "" : "s"}{w.canary ? " · any failure halts" : ""}{w.current ? " · current" : ""}</p>
            <div className="mt-2"><StateCounts counts={w.countsByState} label={`${w.name} targets by state`} /></div>
            {soakLeft !== null && <p className="mt-2 text-xs text-sky-800 dark:text-sky-300" data-testid={`wave-${w.index}-soak`}>Soaking: {soakLeft > 0 ? `${formatDuration(soakLeft)} left` : "final health check"}</p>}
            {approvals && (w.approvedAt ? <p className="mt-2 text-xs text-emerald-800 dark:text-emerald-300">Approved by {w.approvedBy}</p> : <p className="mt-2"><Badge tone="amber">needs approval</Badge></p>)}
            {/* The full reason is in the campaign header and the failures; the card keeps its height. */}
            {w.stateReason && !w.approvedAt && <p className={`mt-1 line-clamp-2 text-xs ${w.state === "halted" ? "text-red-800 dark:text-red-300" : "text-slate-600 dark:text-slate-400"}`} title={w.stateReason}>{w.stateReason}</p>}
          </li>
        );
      })}
    </ol>
  );
}

// Counts of targets by state, in the order a person reads progress: done, moving, waiting, wrong.
import { StateBadge } from "@/components/ui/badge";

const ORDER = ["succeeded", "soaking", "running", "starting", "distributing", "pending", "failed", "unplannable", "aborted", "skipped"];

export function StateCounts({ counts, label }: { counts: Record<string, number>; label?: string }) {
  const shown = ORDER.filter((s) => (counts[s] ?? 0) > 0);
  if (shown.length === 0) return <span className="text-xs text-slate-500">no targets</span>;
  return (
    <ul className="flex flex-wrap gap-1" aria-label={label ?? "Targets by state"}>
      {shown.map((s) => <li key={s} className="whitespace-nowrap text-xs"><span className="font-semibold tabular-nums">{counts[s]}</span> <StateBadge state={s} /></li>)}
    </ul>
  );
}

// Every target of a campaign: where it is, its wave and method, its state and why, its plan, and
// how far the copy of its archives has come.
import Link from "next/link";
import { StateBadge } from "@/components/ui/badge";
import { formatBytes, formatDuration } from "@/components/ui/format";
import { Panel } from "@/components/ui/panel";
import { METHOD_LABEL } from "./campaign-form-state";
import type { DistributionRow, TargetView } from "./campaign-types";

export function TargetsTable({ targets, distribution, distributionEnabled }: { targets: TargetView[]; distribution: Map<string, DistributionRow>; distributionEnabled: boolean }) {
  return (
    <Panel title={`Targets (${targets.length})`}>
      <div className="overflow-x-auto">
        <table className="w-full text-left text-sm" aria-label="Targets">
          <thead className="text-xs uppercase text-slate-500">
            <tr><th className="py-1 pr-2">Name</th><th className="pr-2">Site</th><th className="pr-2">Wave</th><th className="pr-2">Method</th><th className="pr-2">State</th><th className="pr-2">Plan</th>{distributionEnabled && <th className="w-56">Archive copy</th>}</tr>
          </thead>
          <tbody>
            {targets.map((t) => (
              <tr key={t.id} data-testid={`target-${t.name}`} data-state={t.state} className="border-t border-slate-100 align-top dark:border-slate-800">
                <td className="py-1.5 pr-2">
                  <Link className="font-medium text-sky-700 hover:underline" href={`/appliances/${t.applianceId}`}>{t.name}</Link>
                  <span className="block text-xs text-slate-500">{t.kind === "cluster" ? `cluster of ${t.nodeCount}` : "standalone"} · from <span className="mono">{t.fromVersion ?? "?"}</span></span>
                </td>
                <td className="pr-2 text-xs">{t.site ?? <span className="text-slate-500">-</span>}</td>
                <td className="pr-2 text-xs">{t.waveName ?? <span className="text-slate-500">none</span>}</td>
                <td className="pr-2 text-xs">{t.method ? METHOD_LABEL[t.method] ?? t.method : "-"}</td>
                <td className="max-w-md pr-2">
                  <StateBadge state={t.state} />
                  {t.reason && <p className={`mt-0.5 text-xs ${["failed", "unplannable", "aborted"].includes(t.state) ? "text-red-800 dark:text-red-300" : "text-slate-600 dark:text-slate-400"}`}>{t.reason}</p>}
                </td>
                <td className="pr-2 text-xs">{t.planId ? <Link className="text-sky-700 hover:underline" href={`/plans/${t.planId}`}>plan{t.planState ? ` (${t.planState})` : ""}</Link> : <span className="text-slate-500">{["failed", "unplannable", "skipped", "aborted"].includes(t.state) ? "none" : "not yet"}</span>}</td>
                {distributionEnabled && <td><CopyProgress row={distribution.get(t.id)} distributedAt={t.distributedAt} name={t.name} failed={t.state === "failed" || t.state === "unplannable"} /></td>}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Panel>
  );
}

function CopyProgress({ row, distributedAt, name, failed }: { row: DistributionRow | undefined; distributedAt: string | null; name: string; failed: boolean }) {
  if (!row || row.bytesTotal === 0) return <span className="text-xs text-slate-500">{distributedAt ? "copied" : "-"}</span>;
  if (failed && !distributedAt && row.bytesDone < row.bytesTotal) return <span className="text-xs text-red-800 dark:text-red-300">not copied ({formatBytes(row.bytesDone)} of {formatBytes(row.bytesTotal)}): see its state</span>;
  const pct = Math.min(100, (row.bytesDone / row.bytesTotal) * 100);
  const done = row.bytesDone >= row.bytesTotal;
  return (
    <div>
      <div className="h-2 w-full overflow-hidden rounded bg-slate-200 dark:bg-slate-800" role="progressbar" aria-label={`Archive copy to ${name}`} aria-valuenow={Math.round(pct)} aria-valuemin={0} aria-valuemax={100}>
        <div className={`h-full ${done ? "bg-emerald-600" : "bg-sky-600"} transition-all`} style={{ width: `${pct}%` }} />
      </div>
      <p className="mt-0.5 text-xs text-slate-600 dark:text-slate-400">
        {formatBytes(row.bytesDone)} of {formatBytes(row.bytesTotal)} · {row.nodesDone}/{row.nodesTotal} node{row.nodesTotal === 1 ? "" : "s"}
        {done ? " · done" : row.rate > 0 ? ` · ${formatBytes(row.rate)}/s · ${formatDuration((row.etaSeconds ?? 0) * 1000)} left` : " · waiting"}
      </p>
    </div>
  );
}

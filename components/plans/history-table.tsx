"use client";
import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import { api } from "@/components/api";
import { StateBadge } from "@/components/ui/badge";
import { formatDuration, formatTime } from "@/components/ui/format";
import { Panel } from "@/components/ui/panel";
import { METHOD_LABEL } from "@/components/campaigns/campaign-form-state";

interface HistoryRow {
  id: string; method: string; state: string; stateReason: string | null; fromVersion: string; targetVersion: string; createdBy: string; createdAt: string;
  launchedBy: string | null; launchedAt: string | null; finishedAt: string | null; appliance: { id: string; name: string }; cluster: { id: string; name: string } | null;
  nodes: { applianceId: string; name: string }[];
  steps: { key: string; state: string; title: string; finishedAt: string | null }[];
}

export interface HistoryFilter { applianceId?: string; clusterId?: string }

/** A failed plan has no finishedAt (it is resumable): its time runs to its last finished step. */
function tookMs(p: HistoryRow): number | null {
  if (!p.launchedAt) return null;
  const end = p.finishedAt ?? (p.state === "failed" ? p.steps.map((s) => s.finishedAt).filter(Boolean).sort().at(-1) : null);
  return end ? new Date(end).getTime() - new Date(p.launchedAt).getTime() : null;
}

export function HistoryTable({ filter = {} }: { filter?: HistoryFilter }) {
  const query = new URLSearchParams({ ...(filter.applianceId ? { applianceId: filter.applianceId } : {}), ...(filter.clusterId ? { clusterId: filter.clusterId } : {}) }).toString();
  const plans = useQuery({ queryKey: ["plans", "history", query], queryFn: () => api<HistoryRow[]>(`/api/plans${query ? `?${query}` : ""}`), refetchInterval: 10_000 });
  const filtered = Boolean(query);
  return (
    <Panel title={filtered ? `Plans (${plans.data?.length ?? 0})` : "Every plan"} actions={filtered ? <Link className="text-sm text-sky-700 hover:underline" href="/history">Show every plan</Link> : undefined}>
      {plans.error && <p role="alert" className="text-sm text-red-700">{plans.error.message}</p>}
      <table className="w-full text-left text-sm" aria-label="Plans">
        <thead className="text-xs uppercase text-slate-500"><tr><th className="py-1">Target</th><th>Method</th><th>Versions</th><th>Outcome</th><th>Steps</th><th>Created</th><th>Ran by</th><th>Took</th><th /></tr></thead>
        <tbody>
          {plans.data?.length === 0 && <tr><td colSpan={9} className="py-3 text-slate-500">{filtered ? "No plan has touched it yet." : "No plan yet."}</td></tr>}
          {plans.data?.map((p) => (
            <tr key={p.id} className="border-t border-slate-100 align-top" data-testid={`history-${p.id}`}>
              <td className="py-1.5">
                {p.cluster
                  ? <Link className="text-sky-700 hover:underline" href={`/history?cluster=${p.cluster.id}`} title="Every plan of this cluster">cluster {p.cluster.name}<span className="block text-xs text-slate-500">{p.nodes.length} nodes</span></Link>
                  : <Link className="text-sky-700 hover:underline" href={`/history?appliance=${p.appliance.id}`} title="Every plan of this appliance">{p.appliance.name}</Link>}
              </td>
              <td className="text-xs">{METHOD_LABEL[p.method] ?? p.method}</td>
              <td className="mono text-xs"><Link className="text-sky-700 hover:underline" href={`/plans/${p.id}`} title="Open the plan room">{p.fromVersion} → {p.targetVersion}</Link></td>
              <td><StateBadge state={p.state} />{p.stateReason && <p className="max-w-xs text-xs text-slate-500">{p.stateReason}</p>}</td>
              <td className="text-xs">{p.steps.filter((s) => s.state === "succeeded" || s.state === "skipped").length}/{p.steps.length} done</td>
              <td className="text-xs">{formatTime(p.createdAt)}<br />{p.createdBy}</td>
              <td className="text-xs">{p.launchedAt ? <>{p.launchedBy}<br /><span className="text-slate-500">{formatTime(p.launchedAt)}</span></> : <span className="text-slate-500">not launched</span>}</td>
              <td className="text-xs">{formatDuration(tookMs(p))}</td>
              <td className="text-xs"><Link className="text-sky-700 hover:underline" href={`/plans/${p.id}/report`}>Report</Link></td>
            </tr>
          ))}
        </tbody>
      </table>
    </Panel>
  );
}

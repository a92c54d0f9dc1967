"use client";
import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import { api } from "@/components/api";
import { StateBadge } from "@/components/ui/badge";
import { formatDuration, formatTime } from "@/components/ui/format";
import { Panel } from "@/components/ui/panel";

interface HistoryRow {
  id: string; state: string; stateReason: string | null; fromVersion: string; targetVersion: string; createdBy: string; createdAt: string;
  launchedBy: string | null; launchedAt: string | null; finishedAt: string | null; appliance: { id: string; name: string };
  steps: { key: string; state: string; title: string }[];
}

export function HistoryTable() {
  const plans = useQuery({ queryKey: ["plans"], queryFn: () => api<HistoryRow[]>("/api/plans"), refetchInterval: 10_000 });
  return (
    <Panel title="Every plan">
      <table className="w-full text-left text-sm">
        <thead className="text-xs uppercase text-slate-500"><tr><th className="py-1">Appliance</th><th>Versions</th><th>Outcome</th><th>Steps</th><th>Created</th><th>Launched</th><th>Took</th></tr></thead>
        <tbody>
          {plans.data?.length === 0 && <tr><td colSpan={7} className="py-3 text-slate-500">No plan yet.</td></tr>}
          {plans.data?.map((p) => (
            <tr key={p.id} className="border-t border-slate-100 align-top dark:border-slate-800">
              <td className="py-1.5"><Link className="text-sky-700 hover:underline" href={`/plans/${p.id}`}>{p.appliance.name}</Link></td>
              <td className="mono text-xs">{p.fromVersion} → {p.targetVersion}</td>
              <td><StateBadge state={p.state} />{p.stateReason && <p className="max-w-xs text-xs text-slate-500">{p.stateReason}</p>}</td>
              <td className="text-xs">{p.steps.filter((s) => s.state === "succeeded" || s.state === "skipped").length}/{p.steps.length} done</td>
              <td className="text-xs">{formatTime(p.createdAt)}<br />{p.createdBy}</td>
              <td className="text-xs">{p.launchedAt ? <>{formatTime(p.launchedAt)}<br />{p.launchedBy}</> : "-"}</td>
              <td className="text-xs">{p.launchedAt && p.finishedAt ? formatDuration(new Date(p.finishedAt).getTime() - new Date(p.launchedAt).getTime()) : "-"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Panel>
  );
}

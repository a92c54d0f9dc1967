"use client";
import Link from "next/link";
import { useQueries, useQuery } from "@tanstack/react-query";
import { api } from "@/components/api";
import { StateBadge } from "@/components/ui/badge";
import { formatDuration, formatTime } from "@/components/ui/format";
import { ErrorNote, Panel } from "@/components/ui/panel";
import { StateCounts } from "./counts";
import type { CampaignSummary, CampaignView } from "./campaign-types";

const LIVE = ["running", "paused"];

export function CampaignsTable() {
  const list = useQuery({ queryKey: ["campaigns"], queryFn: () => api<CampaignSummary[]>("/api/campaigns"), refetchInterval: 5_000 });
  // Time left is estimated per campaign; only live ones have any.
  const live = (list.data ?? []).filter((c) => LIVE.includes(c.state));
  const details = useQueries({ queries: live.map((c) => ({ queryKey: ["campaign", c.id], queryFn: () => api<CampaignView>(`/api/campaigns/${c.id}`), refetchInterval: 5_000 })) });
  const timeLeft = new Map(live.map((c, i) => [c.id, details[i]?.data?.timeLeftSeconds ?? null]));
  return (
    <Panel title={`Campaigns (${list.data?.length ?? 0})`}>
      <ErrorNote error={list.error} />
      <table className="w-full text-left text-sm">
        <thead className="text-xs uppercase text-slate-500 [&_th]:pr-3"><tr><th className="py-1">Name</th><th>Target version</th><th>State</th><th>Wave</th><th>Targets</th><th>Time left</th><th>Created</th></tr></thead>
        <tbody>
          {list.data?.length === 0 && <tr><td colSpan={7} className="py-3 text-slate-500">No campaign yet. <Link className="text-sky-700 underline" href="/campaigns/new">Create one</Link> to upgrade many appliances in waves.</td></tr>}
          {list.data?.map((c) => (
            <tr key={c.id} className="border-t border-slate-100 align-top dark:border-slate-800 [&>td]:pr-3">
              <td className="py-1.5"><Link className="font-medium text-sky-700 hover:underline" href={`/campaigns/${c.id}`}>{c.name}</Link></td>
              <td className="mono text-xs">{c.targetVersion}</td>
              <td><StateBadge state={c.state} />{c.stateReason && <p className="max-w-xs truncate text-xs text-slate-500" title={c.stateReason}>{c.stateReason}</p>}</td>
              <td className="whitespace-nowrap text-xs">{c.waveCount ? <>{Math.min(c.currentWave + 1, c.waveCount)} / {c.waveCount}{c.currentWaveName && <span className="block text-slate-500">{c.currentWaveName}</span>}</> : "-"}</td>
              <td><span className="text-xs text-slate-500">{c.targetCount} in all</span><StateCounts counts={c.countsByState} label={`Targets of ${c.name} by state`} /></td>
              <td className="text-xs">{LIVE.includes(c.state) ? formatLeft(timeLeft.get(c.id) ?? null) : "-"}</td>
              <td className="text-xs">{formatTime(c.createdAt)}<span className="block text-slate-500">by {c.createdBy}</span></td>
            </tr>
          ))}
        </tbody>
      </table>
    </Panel>
  );
}

export function formatLeft(seconds: number | null): string {
  return seconds === null ? "unknown" : `about ${formatDuration(seconds * 1000)}`;
}

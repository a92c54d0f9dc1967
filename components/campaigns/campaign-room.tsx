"use client";
// One campaign, live: its state and why, the controls that apply, the waves, every target with
// its plan and archive copy, the failures, and the last dry run. Polled every 2 s.
import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import { api } from "@/components/api";
import { useCan, useMe } from "@/components/use-me";
import { StateBadge } from "@/components/ui/badge";
import { formatTime } from "@/components/ui/format";
import { ErrorNote, Panel } from "@/components/ui/panel";
import { offeredActions } from "./campaign-actions";
import { CampaignActionsBar } from "./campaign-actions-bar";
import { formatLeft } from "./campaigns-table";
import { StateCounts } from "./counts";
import { DryRunReport } from "./dry-run-report";
import { TargetsTable } from "./targets-table";
import { useNow } from "./use-now";
import { WavesRow } from "./waves-row";
import type { CampaignView, DistributionRow, DryRunView } from "./campaign-types";

const LIVE = ["running", "paused"];

export function CampaignRoom({ id }: { id: string }) {
  const now = useNow();
  const me = useMe();
  const canRun = useCan("plans:write");
  const canApprove = useCan("windows:decide");
  const view = useQuery({ queryKey: ["campaign", id], queryFn: () => api<CampaignView>(`/api/campaigns/${id}`), refetchInterval: 2_000 });
  const live = LIVE.includes(view.data?.campaign.state ?? "");
  const copies = useQuery({
    queryKey: ["campaign-distribution", id], queryFn: () => api<DistributionRow[]>(`/api/campaigns/${id}/distribution`),
    enabled: Boolean(view.data?.distribution.enabled) && view.data?.campaign.state !== "draft", refetchInterval: live ? 2_000 : false,
  });
  // Filled by the Dry run control; kept in the cache so it survives leaving the page.
  const dryRun = useQuery<DryRunView | null>({ queryKey: ["campaign-dry-run", id], queryFn: () => null, enabled: false, initialData: null, staleTime: Infinity });
  const v = view.data;
  if (!v) return <ErrorNote error={view.error} />;
  const c = v.campaign;
  const offers = offeredActions(v, { email: me.data?.email ?? "", canRun, canApprove }, now);
  const distribution = new Map((copies.data ?? []).map((r) => [r.targetId, r]));
  const approvals = Boolean((c.waveConfig as { approvalBeforeEachWave?: boolean } | null)?.approvalBeforeEachWave);
  return (
    <>
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="text-xl font-semibold">Campaign {c.name}: to <span className="mono">{c.targetVersion}</span></h1>
        <span data-testid="campaign-state"><StateBadge state={c.state} /></span>
        {live && <span className="text-sm text-slate-600 dark:text-slate-400" data-testid="time-left">Time left: {formatLeft(v.timeLeftSeconds)}</span>}
        <Link href="/campaigns" className="ml-auto text-sm text-sky-700 hover:underline">All campaigns</Link>
      </div>
      {c.stateReason && <p className={`text-sm ${["halted", "failed", "aborted"].includes(c.state) ? "text-red-800 dark:text-red-300" : "text-slate-700 dark:text-slate-300"}`} data-testid="campaign-reason">{c.stateReason}</p>}
      <div className="flex flex-wrap items-center gap-x-6 gap-y-1 text-xs text-slate-600 dark:text-slate-400">
        <span className="flex items-center gap-2">Targets: <StateCounts counts={v.countsByState} label="All targets by state" /></span>
        {v.distribution.enabled && c.state !== "draft" && <span>Archives copied ahead: {v.distribution.distributed} of {v.distribution.total}{v.distribution.failed ? `, ${v.distribution.failed} failed` : ""}</span>}
        <span>Created by {c.createdBy} at {formatTime(c.createdAt)}{c.launchedBy ? ` · launched by ${c.launchedBy} at ${formatTime(c.launchedAt)}` : ""}{c.finishedAt ? ` · finished ${formatTime(c.finishedAt)}` : ""}</span>
        {live && <span>Time left estimated from {v.timeLeftBasis}.</span>}
      </div>
      <CampaignActionsBar id={id} offers={offers} />
      <WavesRow waves={v.waves} now={now} approvals={approvals} />
      {v.failures.length > 0 && (
        <Panel title={`Failures and targets left out (${v.failures.length})`}>
          <ul className="space-y-1 text-sm" aria-label="Failures">
            {v.failures.map((f) => <li key={f.targetId} className="flex flex-wrap items-baseline gap-2"><StateBadge state={f.state} /><span className="font-medium">{f.name}</span>{f.wave && <span className="text-xs text-slate-500">{f.wave}</span>}<span className="text-xs text-red-800 dark:text-red-300">{f.reason}</span></li>)}
          </ul>
        </Panel>
      )}
      {/* Before launch the dry run is what matters; once running, the targets are. */}
      {dryRun.data && c.state === "draft" && <DryRunReport report={dryRun.data} />}
      <TargetsTable targets={v.targets} distribution={distribution} distributionEnabled={v.distribution.enabled} />
      {dryRun.data && c.state !== "draft" && <DryRunReport report={dryRun.data} />}
    </>
  );
}

"use client";
// The plan room: what the plan is doing now, node by node, from the server's state (every viewer
// sees the same), the procedure's warnings when they matter, and the controls a role allows.
import Link from "next/link";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { api } from "@/components/api";
import { useMe } from "@/components/use-me";
import { StateBadge } from "@/components/ui/badge";
import { formatBytes, formatTime } from "@/components/ui/format";
import { buttonClass, ErrorNote, Panel, secondaryButtonClass } from "@/components/ui/panel";
import { METHOD_LABEL } from "@/components/campaigns/campaign-form-state";
import { hasPermission } from "@/lib/domain/permissions";
import { mayRetryNode } from "@/lib/domain/plan-controls";
import { planWarnings } from "@/lib/domain/plan-warnings";
import { LogPanel } from "./log-panel";
import { NodeLanes } from "./node-lanes";
import { PrechecksPanel } from "./prechecks-panel";
import { RunControls } from "./run-controls";
import { StepsPanel } from "./steps-panel";
import { usePlanEvents } from "./use-plan-events";
import { WarningBanners } from "./warning-banners";
import { WindowPanel } from "./window-panel";
import { BackupProgress } from "./backup-progress";
import type { PlanView } from "./plan-types";

/** Worker warnings the derived banners already say at the right moment. */
const DERIVED_RULES = new Set(["O3", "O8"]);

export function PlanRoom({ id }: { id: string }) {
  const qc = useQueryClient();
  const plan = useQuery({ queryKey: ["plan", id], queryFn: () => api<PlanView>(`/api/plans/${id}`) });
  const me = useMe();
  const live = usePlanEvents(id);
  const [selected, setSelected] = useState<string | null>(null);
  const nowMs = useTicker(plan.data?.state === "running");
  const act = (path: string, body?: unknown) => api(`/api/plans/${id}/${path}`, { method: "POST", json: body ?? {} });
  const onSettled = () => qc.invalidateQueries({ queryKey: ["plan", id] });
  const prechecks = useMutation({ mutationFn: () => act("prechecks"), onSettled });
  const backup = useMutation({ mutationFn: () => act("backup"), onSettled });
  const launch = useMutation({ mutationFn: () => act("launch"), onSettled });
  const resume = useMutation({ mutationFn: () => act("resume"), onSettled });
  const pause = useMutation({ mutationFn: (p: boolean) => act("pause-after-node", { pause: p }), onSettled });
  const retry = useMutation({ mutationFn: (applianceId: string) => act(`nodes/${applianceId}/retry`), onSettled });
  const fix = useMutation({ mutationFn: (v: { fix: string; applianceId: string }) => act("fixes", v.fix === "remove-obsolete-node" ? v : { fix: v.fix }), onSettled });
  const confirmStep = useMutation({ mutationFn: (v: { key: string; note: string }) => api(`/api/plans/${id}/steps/${encodeURIComponent(v.key)}/confirm`, { method: "POST", json: { note: v.note } }), onSettled });
  const abort = useMutation({ mutationFn: (reason: string) => act("abort", { reason }), onSettled });
  const p = plan.data;
  if (!p) return <ErrorNote error={plan.error} />;
  const before = ["draft", "prechecked", "ready"].includes(p.state);
  const ended = p.state === "succeeded" || p.state === "aborted";
  const role = me.data?.role;
  const roleRefusal = !role ? "Checking your role..." : hasPermission(role, "plans:write") ? null : `Your role (${role}) may watch this plan but not change it: that needs the plans:write permission.`;
  const facts = { ...p, nodes: p.nodes };
  const warnings = planWarnings({ method: p.method, state: p.state, clustered: p.clusterId !== null }, p.nodes, p.steps);
  const busy = [resume, pause, abort, retry].some((m) => m.isPending);
  return (
    <>
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="text-xl font-semibold">
          {p.clusterId ? <>Upgrade the cluster of <Link href={`/appliances/${p.appliance.id}`} className="text-sky-700 hover:underline">{p.appliance.name}</Link> ({p.nodes.length} nodes)</> : <>Upgrade <Link href={`/appliances/${p.appliance.id}`} className="text-sky-700 hover:underline">{p.appliance.name}</Link></>}
          {" "}from {p.fromVersion} to {p.targetVersion}
        </h1>
        <span data-testid="plan-state"><StateBadge state={p.state} /></span>
        <span className="text-sm text-slate-600 dark:text-slate-400">{METHOD_LABEL[p.method] ?? p.method}</span>
        <span className={`text-xs ${live.connected ? "text-emerald-700" : "text-amber-700"}`} title="The room follows the plan's events as they happen">{live.connected ? "● live" : "reconnecting..."}</span>
        <Link href={`/plans/${id}/report`} className="ml-auto text-sm text-sky-700 hover:underline">Printable report</Link>
      </div>
      {p.stateReason && (!before || p.scheduled) && (
        <p data-testid="plan-reason" className={`rounded px-3 py-2 text-sm ${p.state === "failed" ? "border border-red-300 bg-red-50 text-red-800 dark:border-red-800 dark:bg-red-950 dark:text-red-200" : p.state === "paused" ? "border border-amber-300 bg-amber-50 font-medium text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100" : "text-slate-600"}`}>{p.stateReason}</p>
      )}
      {before && (
        <div className="flex flex-wrap items-center gap-2">
          <button type="button" className={secondaryButtonClass} onClick={() => prechecks.mutate()} disabled={prechecks.isPending || roleRefusal !== null} title={roleRefusal ?? undefined}>{prechecks.isPending ? "Taking prechecks..." : "Run prechecks again"}</button>
          <button type="button" className={secondaryButtonClass} onClick={() => backup.mutate()} disabled={backup.isPending || roleRefusal !== null} title={roleRefusal ?? undefined}>{backup.isPending ? "Creating and downloading backup..." : "Create and download backup"}</button>
          <button type="button" className={buttonClass} onClick={() => launch.mutate()} disabled={launch.isPending || p.readiness?.state !== "ready" || roleRefusal !== null} title={roleRefusal ?? p.readiness?.reasons.join(" ")}>Launch</button>
        </div>
      )}
      {before && p.readiness && p.readiness.reasons.length > 0 && (
        <ul className="list-disc pl-6 text-sm text-amber-800 dark:text-amber-300" aria-label="Why launch is not possible yet">{p.readiness.reasons.map((r) => <li key={r}>{r}</li>)}</ul>
      )}
      {!ended && (
        <RunControls plan={p} roleRefusal={roleRefusal} busy={busy}
          onPause={(v) => pause.mutate(v)} onResume={() => resume.mutate()} onAbort={(r) => abort.mutate(r)} />
      )}
      {[prechecks, backup, launch, resume, pause, retry, abort, fix, confirmStep].map((m, i) => <ErrorNote key={i} error={m.error} />)}
      {p.steps.filter((s) => s.state === "waiting").map((s) => (
        <div key={s.id} role="alert" className="flex flex-wrap items-center gap-3 rounded border border-amber-400 bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-100" data-testid="confirmation">
          <span className="font-medium">Your confirmation is needed: {s.title}</span>
          <button type="button" className={buttonClass} onClick={() => confirmStep.mutate({ key: s.key, note: "" })} disabled={roleRefusal !== null} title={roleRefusal ?? undefined}>Confirm</button>
        </div>
      ))}
      <WarningBanners warnings={warnings} other={live.warnings.filter((w) => !w.ruleIds.some((r) => DERIVED_RULES.has(r)))} />
      <BackupProgress backup={live.backup} names={Object.fromEntries(p.nodes.map((n) => [n.applianceId, n.name]))} />
      {p.needsWindow && <WindowPanel planId={id} window={p.window} canLaunch={before && p.readiness?.state === "ready" && !p.scheduled} onChange={() => void onSettled()} />}
      <NodeLanes plan={p} progress={live.progress} nowMs={nowMs} selected={selected} onSelect={setSelected}
        retryVerdict={(applianceId) => {
          if (!p.steps.some((s) => s.applianceId === applianceId && s.state === "failed")) return undefined;
          return roleRefusal ? { ok: false, reason: roleRefusal } : mayRetryNode(facts, p.steps, applianceId);
        }}
        onRetry={(applianceId) => retry.mutate(applianceId)} retrying={retry.isPending} />
      <div className="grid gap-6 lg:grid-cols-2">
        <div className="min-w-0 space-y-6">
          <StepsPanel steps={p.steps} progress={live.progress} selected={selected} onSelect={setSelected} />
          <PrechecksPanel prechecks={p.prechecks} takenAt={p.prechecksAt} onFix={before && !roleRefusal ? (name, applianceId) => fix.mutate({ fix: name, applianceId }) : undefined} names={Object.fromEntries(p.nodes.map((n) => [n.applianceId, n.name]))} />
        </div>
        <div className="min-w-0 space-y-6">
          <LogPanel lines={live.lines} received={live.received} steps={p.steps} selected={selected} onClearSelection={() => setSelected(null)} />
          <Panel title="Archives and backups">
            <ul className="space-y-1 text-sm">
              {p.hops.map((h) => <li key={h.hop}>Hop {h.hop}: <span className="mono text-xs">{h.fileName}</span> ({formatBytes(h.sizeBytes)}, sha256 <span className="mono text-xs">{h.sha256.slice(0, 16)}…</span>)</li>)}
            </ul>
            <ul className="mt-3 space-y-1 text-sm" data-testid="backups">
              {p.backups.length === 0 && <li className="text-amber-700">No backup downloaded yet [U4].</li>}
              {p.backups.map((b) => <li key={b.id}>Backup {b.remoteBackupId} of {b.applianceVersion} ({formatBytes(b.backupBytes)}, sha256 <span className="mono text-xs">{b.backupSha256?.slice(0, 16)}…</span>) and its key, downloaded by {b.confirmedBy} at {formatTime(b.confirmedAt)}</li>)}
            </ul>
            <p className="mt-3 text-xs text-slate-500">Created by {p.createdBy} at {formatTime(p.createdAt)}{p.launchedBy ? ` · launched by ${p.launchedBy} at ${formatTime(p.launchedAt)}` : ""}{p.finishedAt ? ` · finished ${formatTime(p.finishedAt)}` : ""}{p.overrideReason ? ` · override: ${p.overrideReason}` : ""}</p>
          </Panel>
        </div>
      </div>
    </>
  );
}

/** The current time, renewed every second while the plan runs (running steps grow on the axis). */
function useTicker(running: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    setNow(Date.now());
    if (!running) return;
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, [running]);
  return now;
}

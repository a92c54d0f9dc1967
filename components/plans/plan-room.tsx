"use client";
import Link from "next/link";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api } from "@/components/api";
import { StateBadge } from "@/components/ui/badge";
import { formatBytes, formatTime } from "@/components/ui/format";
import { buttonClass, ErrorNote, Panel, secondaryButtonClass } from "@/components/ui/panel";
import { LogPanel } from "./log-panel";
import { PrechecksPanel } from "./prechecks-panel";
import { StepsPanel } from "./steps-panel";
import { usePlanEvents } from "./use-plan-events";
import { WindowPanel } from "./window-panel";
import type { PlanView } from "./plan-types";

export function PlanRoom({ id }: { id: string }) {
  const qc = useQueryClient();
  const plan = useQuery({ queryKey: ["plan", id], queryFn: () => api<PlanView>(`/api/plans/${id}`) });
  const live = usePlanEvents(id);
  const [selected, setSelected] = useState<string | null>(null);
  const act = (path: string, body?: unknown) => api(`/api/plans/${id}/${path}`, { method: "POST", json: body ?? {} });
  const onSettled = () => qc.invalidateQueries({ queryKey: ["plan", id] });
  const prechecks = useMutation({ mutationFn: () => act("prechecks"), onSettled });
  const backup = useMutation({ mutationFn: () => act("backup"), onSettled });
  const launch = useMutation({ mutationFn: () => act("launch"), onSettled });
  const resume = useMutation({ mutationFn: () => act("resume"), onSettled });
  const fix = useMutation({ mutationFn: (v: { fix: string; applianceId: string }) => act("fixes", v.fix === "remove-obsolete-node" ? v : { fix: v.fix }), onSettled });
  const confirmStep = useMutation({ mutationFn: (v: { key: string; note: string }) => api(`/api/plans/${id}/steps/${encodeURIComponent(v.key)}/confirm`, { method: "POST", json: { note: v.note } }), onSettled });
  const abort = useMutation({ mutationFn: (reason: string) => act("abort", { reason }), onSettled });
  const p = plan.data;
  if (!p) return <ErrorNote error={plan.error} />;
  const before = ["draft", "prechecked", "ready"].includes(p.state);
  return (
    <>
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="text-xl font-semibold">Upgrade <Link href={`/appliances/${p.appliance.id}`} className="text-sky-700 hover:underline">{p.appliance.name}</Link> from {p.fromVersion} to {p.targetVersion}</h1>
        <span data-testid="plan-state"><StateBadge state={p.state} /></span>
        <span className={`text-xs ${live.connected ? "text-emerald-700" : "text-amber-700"}`}>{live.connected ? "live" : "reconnecting..."}</span>
      </div>
      {p.stateReason && (!before || p.scheduled) && <p className={`text-sm ${p.state === "failed" ? "text-red-700" : "text-slate-600"}`} data-testid="plan-reason">{p.stateReason}</p>}
      <div className="flex flex-wrap gap-2">
        {before && <button type="button" className={secondaryButtonClass} onClick={() => prechecks.mutate()} disabled={prechecks.isPending}>{prechecks.isPending ? "Taking prechecks..." : "Run prechecks again"}</button>}
        {before && <button type="button" className={secondaryButtonClass} onClick={() => backup.mutate()} disabled={backup.isPending}>{backup.isPending ? "Creating and downloading backup..." : "Create and download backup"}</button>}
        {before && <button type="button" className={buttonClass} onClick={() => launch.mutate()} disabled={launch.isPending || p.readiness?.state !== "ready"} title={p.readiness?.reasons.join(" ")}>Launch</button>}
        {(p.state === "failed" || p.state === "paused") && <button type="button" className={buttonClass} onClick={() => resume.mutate()}>Resume from the failed step</button>}
        {["running", "failed", "paused", "draft", "prechecked", "ready"].includes(p.state) && (
          <button type="button" className={secondaryButtonClass} onClick={() => { const r = window.prompt("Why abort? Nothing new will start; a running step finishes safely."); if (r) abort.mutate(r); }}>Abort</button>
        )}
      </div>
      {before && p.readiness && p.readiness.reasons.length > 0 && (
        <ul className="list-disc pl-6 text-sm text-amber-800 dark:text-amber-300" aria-label="Why launch is not possible yet">{p.readiness.reasons.map((r) => <li key={r}>{r}</li>)}</ul>
      )}
      {[prechecks, backup, launch, resume, abort, fix, confirmStep].map((m, i) => <ErrorNote key={i} error={m.error} />)}
      {p.steps.filter((s) => s.state === "waiting").map((s) => (
        <div key={s.id} role="alert" className="flex flex-wrap items-center gap-3 rounded border border-amber-400 bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-100" data-testid="confirmation">
          <span className="font-medium">Your confirmation is needed: {s.title}</span>
          <button type="button" className={buttonClass} onClick={() => confirmStep.mutate({ key: s.key, note: "" })}>Confirm</button>
        </div>
      ))}
      {live.warnings.map((w) => <p key={w.seq} role="alert" className="rounded border border-amber-400 bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-100">Warning: {w.text}</p>)}
      {p.needsWindow && <WindowPanel planId={id} window={p.window} canLaunch={before && p.readiness?.state === "ready" && !p.scheduled} onChange={() => void onSettled()} />}
      <div className="grid gap-6 lg:grid-cols-2">
        <div className="space-y-6">
          <StepsPanel steps={p.steps} progress={live.progress} selected={selected} onSelect={setSelected} />
          <PrechecksPanel prechecks={p.prechecks} takenAt={p.prechecksAt} onFix={before ? (name, applianceId) => fix.mutate({ fix: name, applianceId }) : undefined} names={Object.fromEntries(p.nodes.map((n) => [n.applianceId, n.name]))} />
        </div>
        <div className="space-y-6">
          <LogPanel lines={live.lines} steps={p.steps} selected={selected} />
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

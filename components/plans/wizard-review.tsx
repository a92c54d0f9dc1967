"use client";
import { formatBytes, formatDuration, formatTime } from "@/components/ui/format";
import { buttonClass, ErrorNote, secondaryButtonClass } from "@/components/ui/panel";
import { canPrepareBeforeWindow } from "@/lib/domain/maintenance-window";
import type { PlanView } from "./plan-types";
import { blockingPrechecks, entryBackup } from "./wizard-checks";
import { clientImpact, describePath, METHOD_LABEL, type MethodView } from "./wizard-methods";
import { describeWindow, windowStatus } from "./wizard-window";

interface Props { plan: PlanView; method: MethodView | undefined; busy: boolean; error: unknown; onLaunch(): void; onSchedule(): void; onGo(step: "prechecks" | "backup" | "window"): void }

/** Step 6: everything on one screen, then Launch now or Schedule at the window's opening. */
export function WizardReview({ plan, method, busy, error, onLaunch, onSchedule, onGo }: Props) {
  const backup = entryBackup(plan);
  const counts = ["pass", "warn", "fail"].map((s) => plan.prechecks.filter((p) => p.status === s).length);
  const status = windowStatus(plan);
  const ready = plan.readiness?.state === "ready";
  const waitForWindow = plan.needsWindow && status !== "open" && !canPrepareBeforeWindow(plan.method);
  const launchBlocked = !ready ? "Not ready yet: see the reasons above." : waitForWindow ? (status === "approved-later" ? "The window is not open yet: schedule the plan instead." : "An approved window is needed first.") : null;
  const row = (label: string, value: React.ReactNode, fix?: "prechecks" | "backup" | "window") => (
    <div className="grid grid-cols-[9rem_1fr] gap-2 border-b border-slate-200 py-2 last:border-0">
      <dt className="text-slate-500">{label}</dt>
      <dd className="min-w-0">{value}{fix && <button type="button" className="ml-2 text-xs text-sky-700 underline" onClick={() => onGo(fix)}>change</button>}</dd>
    </div>
  );
  return (
    <div className="space-y-4">
      <dl className="text-sm" data-testid="review">
        {row("Target", <>{plan.nodes.map((n) => n.name).join(", ") || plan.appliance.name} ({plan.nodes.length > 1 ? `${plan.nodes.length} nodes, one after another where the method says so` : "one appliance"})</>)}
        {row("Versions", <span className="mono">{plan.fromVersion} → {plan.targetVersion}</span>)}
        {row("Method", <>{METHOD_LABEL[plan.method] ?? plan.method}{method ? <span className="block text-xs text-slate-600">Path {describePath(method)}</span> : null}</>)}
        {row("Time and impact", method ? <>{method.downtime ? `About ${formatDuration(method.downtime.totalSeconds * 1000)}. ` : ""}{clientImpact(method)}</> : "-")}
        {row("Archives", plan.hops.map((h) => <span key={h.hop} className="block"><span className="mono break-all text-xs">{h.fileName}</span> ({formatBytes(h.sizeBytes)}, sha256 <span className="mono text-xs">{h.sha256.slice(0, 16)}…</span>), signature verified</span>))}
        {row("Prechecks", <span data-testid="review-prechecks">{counts[0]} passed, {counts[1]} with a warning, {blockingPrechecks(plan).length} failed; taken {formatTime(plan.prechecksAt)}</span>, "prechecks")}
        {row("Backup", backup ? <>Backup {backup.remoteBackupId} ({formatBytes(backup.backupBytes)}, sha256 <span className="mono text-xs">{backup.backupSha256?.slice(0, 16)}…</span>) and its key</> : <span className="text-amber-800">none yet [U4]</span>, "backup")}
        {row("Window", describeWindow(plan, status), plan.needsWindow ? "window" : undefined)}
      </dl>
      {plan.readiness && plan.readiness.reasons.length > 0 && (
        <ul className="list-disc rounded border border-amber-300 bg-amber-50 py-2 pl-8 pr-3 text-sm text-amber-900" aria-label="Why launch is not possible yet">{plan.readiness.reasons.map((r) => <li key={r}>{r}</li>)}</ul>
      )}
      <ErrorNote error={error} />
      <div className="flex flex-wrap items-center gap-3 border-t border-slate-200 pt-3">
        <button type="button" className={buttonClass} onClick={onLaunch} disabled={busy || launchBlocked !== null}>{busy ? "Launching..." : plan.needsWindow && canPrepareBeforeWindow(plan.method) && status !== "open" ? "Launch: prepare now, upgrade in the window" : "Launch now"}</button>
        {status === "approved-later" && <button type="button" className={ready ? buttonClass : secondaryButtonClass} onClick={onSchedule} disabled={busy || !ready}>Schedule at the window&apos;s opening ({formatTime(plan.window?.startsAt)})</button>}
        {launchBlocked && <span className="text-xs text-slate-600" data-testid="launch-blocked">{launchBlocked}</span>}
      </div>
    </div>
  );
}

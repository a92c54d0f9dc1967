"use client";
import { StateBadge } from "@/components/ui/badge";
import { formatBytes } from "@/components/ui/format";
import { buttonClass, ErrorNote, secondaryButtonClass } from "@/components/ui/panel";
import { BackupProgress } from "./backup-progress";
import type { PlanView } from "./plan-types";
import { PrecheckNodesProgress, PrechecksPanel } from "./prechecks-panel";
import type { PlanFeed } from "./wizard-plan-feed";

/** Failed prechecks other than the backup's own (the next step takes the backup). */
export const blockingPrechecks = (plan: PlanView) => plan.prechecks.filter((p) => p.status === "fail" && p.checkId !== "backup");
export const entryBackup = (plan: PlanView) => plan.backups.filter((b) => b.backupSha256 !== null).at(-1) ?? null;
const names = (plan: PlanView) => Object.fromEntries(plan.nodes.map((n) => [n.applianceId, n.name]));

interface StepProps { plan: PlanView; feed: PlanFeed; busy: boolean; error: unknown; onNext(): void }

/** Step 3: what each node answered, then every precheck with its evidence. */
export function WizardPrechecks({ plan, feed, busy, error, onNext, onRerun, onFix }: StepProps & { onRerun(): void; onFix(fix: string, applianceId: string): void }) {
  const failing = blockingPrechecks(plan);
  return (
    <div className="space-y-4">
      <PrecheckNodesProgress nodes={feed.nodes} running={feed.prechecksRunning || busy} />
      <PrechecksPanel prechecks={plan.prechecks} takenAt={plan.prechecksAt} names={names(plan)} onFix={onFix}
        actions={<button type="button" className={secondaryButtonClass} onClick={onRerun} disabled={busy}>{busy ? "Taking prechecks..." : "Run prechecks again"}</button>} />
      <ErrorNote error={error} />
      {failing.length > 0 && (
        <div className="rounded border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900" role="status">
          <p className="font-medium">{failing.length} precheck{failing.length > 1 ? "s" : ""} failed: fix {failing.length > 1 ? "them" : "it"} (each says what to do), then run the prechecks again.</p>
        </div>
      )}
      <div className="border-t border-slate-200 pt-3">
        <button type="button" className={buttonClass} onClick={onNext} disabled={failing.length > 0 || plan.prechecks.length === 0 || busy}>Next: backup</button>
      </div>
    </div>
  );
}

/** Step 4: a backup made on the appliance and downloaded with its key [U4]. */
export function WizardBackup({ plan, feed, busy, error, onNext, onBackup }: StepProps & { onBackup(): void }) {
  const done = entryBackup(plan);
  return (
    <div className="space-y-4">
      <p className="text-sm text-slate-600">Before anything changes, the appliance makes a backup; the console downloads it and its backup key, and keeps both with their sha256 [U4][O5].</p>
      {feed.backup || busy
        ? <BackupProgress backup={feed.backup ?? { phase: "creating", applianceId: plan.appliance.id, samples: [] }} showDone names={names(plan)} />
        : done && (
          <p className="flex flex-wrap items-center gap-2 text-sm" data-testid="wizard-backup">
            <StateBadge state="done" /> Backup {done.remoteBackupId} of {done.applianceVersion}: {formatBytes(done.backupBytes)}, sha256 <span className="mono break-all text-xs">{done.backupSha256}</span>, and its key, downloaded by {done.confirmedBy}.
          </p>
        )}
      <ErrorNote error={error} />
      <div className="flex flex-wrap gap-3 border-t border-slate-200 pt-3">
        <button type="button" className={done ? secondaryButtonClass : buttonClass} onClick={onBackup} disabled={busy}>{busy ? "Creating and downloading backup..." : done ? "Take another backup" : "Create and download backup"}</button>
        <button type="button" className={done ? buttonClass : secondaryButtonClass} onClick={onNext} disabled={!done || busy}>Next: maintenance window</button>
      </div>
    </div>
  );
}

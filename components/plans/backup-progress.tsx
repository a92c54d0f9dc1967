"use client";
import { formatBytes, formatDuration } from "@/components/ui/format";
import { TransferProgress, useNow } from "@/components/ui/transfer-progress";
import { usePlanFeed, type BackupProgressState } from "./wizard-plan-feed";

/**
 * A backup while it happens: made on the appliance (time so far), downloaded (bytes, rate, time
 * left), then done with its sha256, or failed with the appliance's words. With `feed` from the
 * caller's own stream; without, it listens to the plan itself (the plan room).
 */
export function BackupProgress({ planId, backup, showDone = false, names }: { planId?: string; backup?: BackupProgressState | null; showDone?: boolean; names?: Record<string, string> }) {
  const own = usePlanFeed(backup === undefined ? (planId ?? null) : null);
  const b = backup === undefined ? own.backup : backup;
  if (!b || (b.phase === "done" && !showDone)) return null;
  const who = names?.[b.applianceId] ? ` of ${names[b.applianceId]}` : "";
  return (
    <div className="space-y-2 rounded border border-slate-200 p-3 text-sm" data-testid="backup-progress" data-phase={b.phase} aria-live="polite">
      <ol className="flex flex-wrap gap-x-4 gap-y-1 text-xs" aria-label="Backup phases">
        {(["creating", "downloading", "done"] as const).map((p, i) => (
          <li key={p} className={phaseClass(b.phase, p)}>{i + 1}. {p === "creating" ? "Create on the appliance" : p === "downloading" ? "Download backup and key" : "Stored with its sha256"}</li>
        ))}
      </ol>
      {b.phase === "creating" && <Creating since={b.startedAt} who={who} />}
      {b.phase === "downloading" && (
        <TransferProgress testId="backup-download" label={`Downloading backup ${b.backupId ?? ""}${who}`} done={b.bytes ?? 0} total={b.total ?? null} startedAt={b.startedAt ?? b.at ?? Date.now()} samples={b.samples} />
      )}
      {b.phase === "done" && (
        <p className="text-emerald-800">Backup {b.backupId}{who} downloaded with its key: {formatBytes(b.bytes ?? 0)}, sha256 <span className="mono break-all text-xs">{b.sha256}</span></p>
      )}
      {b.phase === "failed" && (
        <p role="alert" className="text-red-800">The backup{who} failed: {b.reason}. Nothing was launched. Check that the appliance answers (Refresh on its page), then create the backup again.</p>
      )}
    </div>
  );
}

function Creating({ since, who }: { since?: number; who: string }) {
  const now = useNow(1000);
  return <p className="text-slate-600">The appliance is making the backup{who}{since ? ` (${formatDuration(Math.max(0, now - since))} so far)` : ""}. Its size is known only when it is done; the download follows at once.</p>;
}

function phaseClass(current: BackupProgressState["phase"], p: "creating" | "downloading" | "done"): string {
  const order = ["creating", "downloading", "done"];
  const at = current === "failed" ? -1 : order.indexOf(current);
  const mine = order.indexOf(p);
  if (mine < at || (current === "done" && p === "done")) return "text-emerald-800";
  if (mine === at) return "font-semibold text-sky-800";
  return "text-slate-500";
}

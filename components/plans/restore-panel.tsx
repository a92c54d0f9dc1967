"use client";
import { useRouter } from "next/navigation";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { api } from "@/components/api";
import type { ArchiveRow } from "@/components/archives/archives-table";
import { CatalogOnlyNote, deployableVersions } from "@/components/archives/deployable-versions";
import { formatTime } from "@/components/ui/format";
import { buttonClass, ErrorNote, inputClass, labelClass, Panel } from "@/components/ui/panel";

interface BackupRow { id: string; remoteBackupId: string | null; applianceVersion: string | null; confirmedBy: string; confirmedAt: string }

/** [D6] Back to a previous version in production: backup, factory reset, upgrade, restore. */
export function RestorePanel({ applianceId, name }: { applianceId: string; name: string }) {
  const router = useRouter();
  const backups = useQuery({ queryKey: ["backups", applianceId], queryFn: () => api<BackupRow[]>(`/api/appliances/${applianceId}/backups`) });
  const archives = useQuery({ queryKey: ["archives"], queryFn: () => api<ArchiveRow[]>("/api/archives") });
  const [backupId, setBackupId] = useState("");
  const [target, setTarget] = useState("");
  const [ack, setAck] = useState("");
  const create = useMutation({
    mutationFn: () => api<{ id: string }>("/api/plans/restore", { method: "POST", json: { applianceId, targetVersion: target, backupConfirmationId: backupId, acknowledgement: ack } }),
    onSuccess: (p) => router.push(`/plans/${p.id}`),
  });
  const versions = deployableVersions(archives.data);
  return (
    <Panel title="Go back to a previous version (production)">
      <p className="mb-3 text-sm text-slate-500">The vendor&apos;s way back for production [D6]: back up, factory reset (all data wiped), upgrade to the desired version, restore a backup made on that version or older. A newer backup is never restored onto an older version [U5]. For test systems only, a downgrade is the shorter way.</p>
      <div className="grid gap-3 md:grid-cols-3">
        <div>
          <label className={labelClass} htmlFor="restore-backup">Backup to restore</label>
          <select id="restore-backup" className={inputClass} value={backupId} onChange={(e) => setBackupId(e.target.value)}>
            <option value="">Choose a downloaded backup</option>
            {backups.data?.map((b) => <option key={b.id} value={b.id}>{b.remoteBackupId} of {b.applianceVersion} ({formatTime(b.confirmedAt)})</option>)}
          </select>
        </div>
        <div>
          <label className={labelClass} htmlFor="restore-target">Desired version</label>
          <select id="restore-target" className={inputClass} value={target} onChange={(e) => setTarget(e.target.value)}>
            <option value="">Choose a version</option>
            {versions.map((v) => <option key={v} value={v}>{v}</option>)}
          </select>
          <CatalogOnlyNote archives={archives.data} />
        </div>
        <div>
          <label className={labelClass} htmlFor="restore-ack">Type RESET {name}</label>
          <input id="restore-ack" className={inputClass} value={ack} onChange={(e) => setAck(e.target.value)} />
        </div>
      </div>
      <ErrorNote error={create.error} />
      <button type="button" className={`${buttonClass} mt-3`} disabled={!backupId || !target || create.isPending} onClick={() => create.mutate()}>Plan the way back</button>
    </Panel>
  );
}

"use client";
import { useQuery } from "@tanstack/react-query";
import { api } from "@/components/api";
import { StateBadge } from "@/components/ui/badge";
import { formatBytes, formatTime } from "@/components/ui/format";
import { Panel } from "@/components/ui/panel";

export interface ArchiveRow {
  id: string; fileName: string; version: string | null; status: string; sizeBytes: number; sha256: string | null;
  signerFingerprint: string | null; signerUserId: string | null; refusalReason: string | null; uploadedBy: string; createdAt: string; format: string | null;
  /** From the API (lib/archives/deployable.ts): whether an appliance can take it, and if not why. */
  deployable: boolean; undeployableReason: string | null;
}

export function ArchivesTable() {
  const archives = useQuery({ queryKey: ["archives"], queryFn: () => api<ArchiveRow[]>("/api/archives") });
  return (
    <Panel title="Archives">
      <table className="w-full text-left text-sm">
        <thead className="text-xs uppercase text-slate-500"><tr><th className="py-1">File</th><th>Version</th><th>Status</th><th>Size</th><th>SHA-256 / signer</th><th>Uploaded</th></tr></thead>
        <tbody>
          {archives.data?.length === 0 && <tr><td colSpan={6} className="py-3 text-slate-500">No archive yet.</td></tr>}
          {archives.data?.map((a) => (
            <tr key={a.id} className="border-t border-slate-100 align-top dark:border-slate-800">
              <td className="mono py-1.5 text-xs">{a.fileName}</td>
              <td>{a.version ?? "-"}</td>
              <td><ArchiveStatus archive={a} /></td>
              <td>{formatBytes(a.sizeBytes)}</td>
              <td className="mono text-xs">{a.sha256 ? `${a.sha256.slice(0, 16)}…` : "-"}<br />{a.signerUserId ?? ""}</td>
              <td className="text-xs">{formatTime(a.createdAt)}<br />{a.uploadedBy}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Panel>
  );
}

/** A verified archive an appliance cannot take (detached signature) stays listed as catalog only. */
function ArchiveStatus({ archive: a }: { archive: ArchiveRow }) {
  if (a.status === "verified" && !a.deployable) {
    return (
      <span title={a.undeployableReason ?? undefined} data-testid="catalog-only">
        <span className="rounded bg-amber-100 px-1.5 py-0.5 text-xs text-amber-900">verified · catalog only</span>
        {a.undeployableReason && <p className="mt-1 max-w-xs text-xs text-amber-800">{a.undeployableReason}</p>}
      </span>
    );
  }
  return <><StateBadge state={a.status} />{a.refusalReason && <p className="mt-1 max-w-xs text-xs text-red-700">{a.refusalReason}</p>}</>;
}

"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api } from "@/components/api";
import { StateBadge } from "@/components/ui/badge";
import { buttonClass, ErrorNote, inputClass, Panel, secondaryButtonClass } from "@/components/ui/panel";

interface Member {
  nodeId: string; host: string; status: { code: string; description: string }; isEntry: boolean; enrolledApplianceId: string | null; sshPort: number; restUrl: string;
  probe: { sshHostKeyFingerprint: string; restCertFingerprint: string; sshBanner: string | null } | { error: string };
}

/** Enrol a cluster from this node, as cmupdate does: list the members, show each fingerprint, enrol what the admin confirms [F3][F6][F11]. */
export function ClusterEnrolPanel({ applianceId, applianceName }: { applianceId: string; applianceName: string }) {
  const qc = useQueryClient();
  const [clusterName, setClusterName] = useState(`${applianceName}-cluster`);
  const [accepted, setAccepted] = useState<Record<string, boolean>>({});
  const discover = useMutation({ mutationFn: () => api<{ clusterNodeId: string; members: Member[] }>("/api/clusters/discover", { method: "POST", json: { entryApplianceId: applianceId } }) });
  const confirm = useMutation({
    mutationFn: () => api("/api/clusters", {
      method: "POST",
      json: {
        entryApplianceId: applianceId, clusterName,
        members: (discover.data?.members ?? []).filter((m) => !m.isEntry && accepted[m.nodeId] && "sshHostKeyFingerprint" in m.probe).map((m) => {
          const p = m.probe as { sshHostKeyFingerprint: string; restCertFingerprint: string };
          return { nodeId: m.nodeId, name: `${clusterName}-${m.host}`, host: m.host, sshPort: m.sshPort, restUrl: m.restUrl, acceptedSshHostKeyFingerprint: p.sshHostKeyFingerprint, acceptedRestCertFingerprint: p.restCertFingerprint };
        }),
      },
    }),
    onSuccess: () => { void qc.invalidateQueries(); },
  });
  return (
    <Panel title="Cluster membership" actions={<button type="button" className={secondaryButtonClass} onClick={() => discover.mutate()} disabled={discover.isPending}>{discover.isPending ? "Reading the node list..." : "Discover cluster members"}</button>}>
      <p className="text-sm text-slate-500">Reads GET /v1/nodes on this node and probes every member. Check each fingerprint against the node&apos;s own console before you accept it.</p>
      <ErrorNote error={discover.error} />
      {discover.data && (
        <div className="mt-3 space-y-2 text-sm">
          <label className="block">Cluster name <input aria-label="Cluster name" className={inputClass} value={clusterName} onChange={(e) => setClusterName(e.target.value)} /></label>
          <ul className="space-y-2" aria-label="Cluster members">
            {discover.data.members.map((m) => (
              <li key={m.nodeId} className="rounded border border-slate-200 p-2 dark:border-slate-800">
                <div className="flex items-center gap-2">
                  {!m.isEntry && <input type="checkbox" aria-label={`Accept ${m.host}`} checked={Boolean(accepted[m.nodeId])} disabled={"error" in m.probe} onChange={(e) => setAccepted({ ...accepted, [m.nodeId]: e.target.checked })} />}
                  <span className="mono">{m.host}</span><StateBadge state={m.status.code === "r" ? "ready" : m.status.description || m.status.code} />
                  {m.isEntry && <span className="text-xs text-slate-500">this node (already enrolled)</span>}
                  {!m.isEntry && m.enrolledApplianceId && <span className="text-xs text-slate-500">already enrolled</span>}
                </div>
                {"error" in m.probe ? <p className="text-xs text-red-700">Could not reach it: {m.probe.error}</p> : <p className="mono break-all text-xs text-slate-500">SSH {m.probe.sshHostKeyFingerprint} · TLS {m.probe.restCertFingerprint}</p>}
              </li>
            ))}
          </ul>
          <ErrorNote error={confirm.error} />
          <button type="button" className={buttonClass} onClick={() => confirm.mutate()} disabled={confirm.isPending}>These are the members: enrol them as one cluster</button>
          {confirm.isSuccess && <p role="status" className="text-emerald-700">Cluster enrolled.</p>}
        </div>
      )}
    </Panel>
  );
}

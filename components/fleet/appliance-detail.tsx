"use client";
import Link from "next/link";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "@/components/api";
import type { ApplianceRow } from "@/components/fleet/fleet-table";
import { StateBadge } from "@/components/ui/badge";
import { formatTime } from "@/components/ui/format";
import { ErrorNote, Panel, secondaryButtonClass } from "@/components/ui/panel";
import { PlanWizard } from "@/components/plans/plan-wizard";
import { ClusterEnrolPanel } from "@/components/fleet/cluster-enrol-panel";
import { RestorePanel } from "@/components/plans/restore-panel";
import { TrustAlert } from "@/components/fleet/trust-alert";
import { TagsEditor } from "@/components/fleet/tags-editor";
import { GoldenVersionEditor } from "@/components/fleet/golden-version-editor";
import type { ClusterRow } from "@/components/fleet/fleet-table";

interface PlanSummary { id: string; state: string; fromVersion: string; targetVersion: string; createdAt: string; createdBy: string; finishedAt: string | null }

export function ApplianceDetail({ id }: { id: string }) {
  const qc = useQueryClient();
  const appliance = useQuery({ queryKey: ["appliance", id], queryFn: () => api<ApplianceRow>(`/api/appliances/${id}`) });
  const plans = useQuery({ queryKey: ["plans", id], queryFn: () => api<PlanSummary[]>(`/api/plans?applianceId=${id}`) });
  const clusters = useQuery({ queryKey: ["clusters"], queryFn: () => api<ClusterRow[]>("/api/clusters") });
  const refresh = useMutation({ mutationFn: () => api(`/api/appliances/${id}/refresh`, { method: "POST" }), onSettled: () => qc.invalidateQueries({ queryKey: ["appliance", id] }) });
  const a = appliance.data;
  const cluster = clusters.data?.find((c) => c.id === a?.clusterId);
  return (
    <>
      <h1 className="text-xl font-semibold">{a?.name ?? "Appliance"}</h1>
      {a?.status === "trust-changed" && <TrustAlert appliance={a} />}
      <div className="grid gap-6 lg:grid-cols-2">
        <Panel title="Appliance" actions={<button type="button" className={secondaryButtonClass} onClick={() => refresh.mutate()} disabled={refresh.isPending}>{refresh.isPending ? "Reading..." : "Refresh"}</button>}>
          {a && (
            <dl className="grid grid-cols-[11rem_1fr] gap-1 text-sm">
              <dt className="text-slate-500">Version</dt><dd className="mono" data-testid="appliance-version">{a.version ?? "-"}</dd>
              <dt className="text-slate-500">Model</dt><dd>{a.model ?? "-"}</dd>
              <dt className="text-slate-500">Status</dt><dd><StateBadge state={a.status} /> {a.statusReason}</dd>
              <dt className="text-slate-500">SSH</dt><dd className="mono text-xs">ksadmin@{a.host}:{a.sshPort}</dd>
              <dt className="text-slate-500">Pinned host key</dt><dd className="mono break-all text-xs">{a.sshHostKeyFingerprint}</dd>
              <dt className="text-slate-500">REST</dt><dd className="mono text-xs">{a.restUrl}</dd>
              <dt className="text-slate-500">Pinned certificate</dt><dd className="mono break-all text-xs">{a.restCertFingerprint}</dd>
              <dt className="text-slate-500">Last contact</dt><dd>{formatTime(a.lastContactAt)}</dd>
              <dt className="text-slate-500">Tags</dt><dd><TagsEditor kind="appliance" id={a.id} name={a.name} tags={a.tags} /></dd>
              {cluster && <><dt className="text-slate-500">Cluster {cluster.name} tags</dt><dd><TagsEditor kind="cluster" id={cluster.id} name={`cluster ${cluster.name}`} tags={cluster.tags} /></dd></>}
              {!a.clusterId && <><dt className="text-slate-500">Golden version</dt><dd><GoldenVersionEditor kind="appliance" id={a.id} name={a.name} version={a.goldenVersion} /></dd></>}
              {cluster && <><dt className="text-slate-500">Cluster {cluster.name} golden version</dt><dd><GoldenVersionEditor kind="cluster" id={cluster.id} name={`cluster ${cluster.name}`} version={cluster.goldenVersion} /></dd></>}
            </dl>
          )}
          <ErrorNote error={refresh.error} />
        </Panel>
        <PlanWizard applianceId={a?.clusterId ? undefined : id} clusterId={a?.clusterId ?? undefined} name={a?.name ?? ""} />
      </div>
      {a && <ClusterEnrolPanel applianceId={id} applianceName={a.name} />}
      {a && !a.clusterId && <RestorePanel applianceId={id} name={a.name} />}
      <Panel title="Plans for this appliance" actions={<Link className="text-sm text-sky-700 hover:underline" href={`/history?appliance=${id}`}>Full history, with reports</Link>}>
        <ul className="divide-y divide-slate-100 text-sm dark:divide-slate-800">
          {plans.data?.length === 0 && <li className="py-2 text-slate-500">No plan yet.</li>}
          {plans.data?.map((p) => (
            <li key={p.id} className="flex items-center gap-3 py-2"><StateBadge state={p.state} /><Link className="text-sky-700 hover:underline" href={`/plans/${p.id}`}>{p.fromVersion} to {p.targetVersion}</Link><span className="text-slate-500">{formatTime(p.createdAt)} by {p.createdBy}</span></li>
          ))}
        </ul>
      </Panel>
    </>
  );
}

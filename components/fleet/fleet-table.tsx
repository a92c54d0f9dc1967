"use client";
import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import { api } from "@/components/api";
import { StateBadge } from "@/components/ui/badge";
import { formatTime } from "@/components/ui/format";
import { Panel } from "@/components/ui/panel";
import { TagChips } from "@/components/fleet/tags-editor";

export interface ApplianceRow {
  id: string; name: string; host: string; sshPort: number; restUrl: string; version: string | null; model: string | null;
  status: string; statusReason: string | null; clusterId: string | null; tags: string[]; cluster?: { id: string; name: string } | null; lastContactAt: string | null; sshHostKeyFingerprint: string; restCertFingerprint: string;
  plans: { id: string; state: string; targetVersion: string }[];
}
export interface ClusterRow { id: string; name: string; tags: string[]; appliances: { id: string; name: string; version: string | null; status: string }[] }

export function FleetTable() {
  const fleet = useQuery({ queryKey: ["appliances"], queryFn: () => api<ApplianceRow[]>("/api/appliances"), refetchInterval: 10_000 });
  const clusters = useQuery({ queryKey: ["clusters"], queryFn: () => api<ClusterRow[]>("/api/clusters") });
  const clusterTags = new Map((clusters.data ?? []).map((c) => [c.id, c.tags]));
  return (
    <Panel title={`Appliances (${fleet.data?.length ?? 0})`} actions={<Link href="/appliances/enrol" className="text-sm text-sky-700 hover:underline">Enrol an appliance</Link>}>
      <table className="w-full text-left text-sm">
        <thead className="text-xs uppercase text-slate-500"><tr><th className="py-1">Name</th><th>Cluster</th><th>Address</th><th>Version</th><th>Model</th><th>Tags</th><th>Status</th><th>Last contact</th><th>Latest plan</th></tr></thead>
        <tbody>
          {fleet.data?.length === 0 && <tr><td colSpan={9} className="py-3 text-slate-500">No appliance is enrolled yet.</td></tr>}
          {fleet.data?.map((a) => {
            const plan = a.plans[0];
            return (
              <tr key={a.id} className="border-t border-slate-100 dark:border-slate-800">
                <td className="py-1.5"><Link className="font-medium text-sky-700 hover:underline" href={`/appliances/${a.id}`}>{a.name}</Link></td>
                <td className="text-xs">{a.cluster?.name ?? <span className="text-slate-400">standalone</span>}</td>
                <td className="mono text-xs">{a.host}:{a.sshPort}</td>
                <td className="mono">{a.version ?? "-"}</td>
                <td>{a.model ?? "-"}</td>
                <td><TagChips tags={[...new Set([...(a.clusterId ? clusterTags.get(a.clusterId) ?? [] : []), ...a.tags])]} empty="" /></td>
                <td><StateBadge state={a.status} />{a.statusReason && <span className="ml-2 text-xs text-red-700">{a.statusReason}</span>}</td>
                <td className="text-xs">{formatTime(a.lastContactAt)}</td>
                <td>{plan ? <Link href={`/plans/${plan.id}`} className="hover:underline"><StateBadge state={plan.state} /> to {plan.targetVersion}</Link> : <span className="text-slate-400">none</span>}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </Panel>
  );
}

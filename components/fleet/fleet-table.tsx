"use client";
import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import { api } from "@/components/api";
import { StateBadge } from "@/components/ui/badge";
import { formatTime } from "@/components/ui/format";
import { Panel } from "@/components/ui/panel";

export interface ApplianceRow {
  id: string; name: string; host: string; sshPort: number; restUrl: string; version: string | null; model: string | null;
  status: string; statusReason: string | null; clusterId: string | null; cluster?: { id: string; name: string } | null; lastContactAt: string | null; sshHostKeyFingerprint: string; restCertFingerprint: string;
  plans: { id: string; state: string; targetVersion: string }[];
}

export function FleetTable() {
  const fleet = useQuery({ queryKey: ["appliances"], queryFn: () => api<ApplianceRow[]>("/api/appliances"), refetchInterval: 10_000 });
  return (
    <Panel title={`Appliances (${fleet.data?.length ?? 0})`} actions={<Link href="/appliances/enrol" className="text-sm text-sky-700 hover:underline">Enrol an appliance</Link>}>
      <table className="w-full text-left text-sm">
        <thead className="text-xs uppercase text-slate-500"><tr><th className="py-1">Name</th><th>Cluster</th><th>Address</th><th>Version</th><th>Model</th><th>Status</th><th>Last contact</th><th>Latest plan</th></tr></thead>
        <tbody>
          {fleet.data?.length === 0 && <tr><td colSpan={8} className="py-3 text-slate-500">No appliance is enrolled yet.</td></tr>}
          {fleet.data?.map((a) => {
            const plan = a.plans[0];
            return (
              <tr key={a.id} className="border-t border-slate-100 dark:border-slate-800">
                <td className="py-1.5"><Link className="font-medium text-sky-700 hover:underline" href={`/appliances/${a.id}`}>{a.name}</Link></td>
                <td className="text-xs">{a.cluster?.name ?? <span className="text-slate-400">standalone</span>}</td>
                <td className="mono text-xs">{a.host}:{a.sshPort}</td>
                <td className="mono">{a.version ?? "-"}</td>
                <td>{a.model ?? "-"}</td>
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

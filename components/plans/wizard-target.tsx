"use client";
import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import { api } from "@/components/api";
import type { ApplianceRow, ClusterRow } from "@/components/fleet/fleet-table";
import { StateBadge } from "@/components/ui/badge";
import { buttonClass } from "@/components/ui/panel";

export interface TargetNode { id: string; name: string; version: string | null; status: string }

/** The nodes a plan for this page touches: the appliance, or every node of its cluster by name. */
export function useTargetNodes(applianceId?: string, clusterId?: string): { nodes: TargetNode[]; label: string } {
  const appliance = useQuery({ queryKey: ["appliance", applianceId], enabled: Boolean(applianceId), queryFn: () => api<ApplianceRow>(`/api/appliances/${applianceId}`) });
  const clusters = useQuery({ queryKey: ["clusters"], enabled: Boolean(clusterId), queryFn: () => api<ClusterRow[]>("/api/clusters") });
  if (clusterId) {
    const c = clusters.data?.find((x) => x.id === clusterId);
    // In the server's order (by name, as Postgres sorts): the first is the plan's entry node.
    const nodes = c?.appliances ?? [];
    return { nodes, label: c ? `Cluster ${c.name} (${nodes.length} node${nodes.length === 1 ? "" : "s"})` : "Cluster" };
  }
  const a = appliance.data;
  return { nodes: a ? [{ id: a.id, name: a.name, version: a.version, status: a.status }] : [], label: a ? `${a.name} (standalone)` : "Appliance" };
}

/** Step 1: what will be touched. Chosen by opening an appliance; another target is another page. */
export function WizardTarget({ nodes, label, onNext }: { nodes: TargetNode[]; label: string; onNext(): void }) {
  return (
    <div className="space-y-3 text-sm">
      <p><span className="font-medium">{label}</span>{nodes.length > 1 ? ": every node is planned together; the method decides the order." : "."}</p>
      <ul className="space-y-1" aria-label="Nodes of this plan">
        {nodes.map((n) => <li key={n.id} className="flex flex-wrap items-center gap-2"><StateBadge state={n.status} /><span className="font-medium">{n.name}</span><span className="mono text-xs">{n.version ?? "version unknown: refresh it first"}</span></li>)}
      </ul>
      <p className="text-xs text-slate-600">To plan another appliance or cluster, open it from the <Link className="text-sky-700 underline" href="/">Fleet</Link>.</p>
      <div className="border-t border-slate-200 pt-3"><button type="button" className={buttonClass} onClick={onNext}>Next: version and method</button></div>
    </div>
  );
}

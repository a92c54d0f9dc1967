"use client";
// One row per cluster and per standalone appliance: what it runs, how its nodes are, when it last
// answered, the plan touching it, its tags, the version it should run and how it stands.
import Link from "next/link";
import { Badge, StateBadge } from "@/components/ui/badge";
import { TagChips } from "@/components/fleet/tags-editor";
import { ComplianceBadge } from "@/components/fleet/compliance-badge";
import { NodeDots } from "@/components/fleet/node-dots";
import { formatAgo } from "@/components/fleet/relative-time";
import { formatTime } from "@/components/ui/format";
import type { FleetRowView } from "@/components/fleet/fleet-types";

/** An appliance as GET /api/appliances/[id] answers (the appliance page). */
export interface ApplianceRow {
  id: string; name: string; host: string; sshPort: number; restUrl: string; version: string | null; model: string | null;
  status: string; statusReason: string | null; clusterId: string | null; tags: string[]; goldenVersion: string | null; cluster?: { id: string; name: string } | null; lastContactAt: string | null; sshHostKeyFingerprint: string; restCertFingerprint: string;
  plans: { id: string; state: string; targetVersion: string }[];
}
export interface ClusterRow { id: string; name: string; tags: string[]; goldenVersion: string | null; appliances: { id: string; name: string; version: string | null; status: string }[] }

// Row links do not prefetch: a page of 50 to 200 rows would otherwise ask the server for every
// appliance and plan page in view while the browser is still bringing the page up.
function Versions({ row }: { row: FleetRowView }) {
  if (row.versions.length === 0) return <span className="text-slate-500">unknown</span>;
  if (row.versions.length === 1) return <span className="mono">{row.versions[0]}</span>;
  return (
    <ul className="mono text-amber-800">
      {row.versions.map((v) => <li key={v}>{v} <span className="text-xs text-slate-500">x{row.nodes.filter((n) => n.version === v).length}</span></li>)}
    </ul>
  );
}

function Plan({ plan, now }: { plan: FleetRowView["plan"]; now: number }) {
  if (!plan) return <span className="text-slate-500">none</span>;
  return (
    <Link prefetch={false} href={`/plans/${plan.id}`} className="group inline-flex flex-col hover:underline" title={`${plan.method} plan ${plan.fromVersion} to ${plan.targetVersion}, created ${formatTime(plan.createdAt)}`}>
      <span className="whitespace-nowrap"><StateBadge state={plan.state} /> <span className="mono text-xs">to {plan.targetVersion}</span></span>
      <span className="text-xs text-slate-500">{plan.open ? "open plan" : `latest, ${formatAgo(plan.finishedAt ?? plan.createdAt, now)}`}</span>
    </Link>
  );
}

function Golden({ golden }: { golden: FleetRowView["golden"] }) {
  if (!golden) return <span className="text-slate-500">none</span>;
  return (
    <span className="flex flex-col">
      <span className="mono">{golden.version}</span>
      <span className="text-xs text-slate-500">{golden.source === "own" ? "set on it" : `rule ${golden.tag}`}</span>
    </span>
  );
}

function Name({ row }: { row: FleetRowView }) {
  if (row.kind === "appliance") {
    return (
      <>
        <Link prefetch={false} className="font-medium text-sky-700 hover:underline" href={`/appliances/${row.id}`}>{row.name}</Link>
        <div className="mono text-xs text-slate-500">{row.nodes[0]?.host}</div>
      </>
    );
  }
  return (
    <>
      <Link prefetch={false} className="font-medium text-sky-700 hover:underline" href={`/appliances/${row.entryApplianceId}`} title={`Cluster ${row.name}: opens its entry node`}>{row.name}</Link>
      {/* No aria-label: the row's accessible name must include the nodes' names (found by node). */}
      <ul className="flex flex-wrap gap-x-2 text-xs">
        {row.nodes.map((n) => <li key={n.id}><Link prefetch={false} className="text-sky-700 hover:underline" href={`/appliances/${n.id}`}>{n.name}</Link></li>)}
      </ul>
    </>
  );
}

export function FleetTable({ rows, now, caption }: { rows: FleetRowView[]; now: number; caption: string }) {
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-left text-sm" aria-label="Fleet">
        <caption className="sr-only">{caption}</caption>
        <thead className="text-xs uppercase text-slate-500">
          <tr><th className="py-1 pr-3">Name</th><th className="pr-3">Kind</th><th className="pr-3">Version</th><th className="pr-3">Nodes</th><th className="pr-3">Last contact</th><th className="pr-3">Plan</th><th className="pr-3">Tags</th><th className="pr-3">Golden</th><th>Compliance</th></tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id} className="border-t border-slate-100 align-top" data-testid="fleet-row">
              <td className="py-2 pr-3"><Name row={r} /></td>
              <td className="whitespace-nowrap pr-3 pt-2">{r.kind === "cluster" ? <Badge tone="blue">cluster of {r.nodes.length}</Badge> : <span className="text-xs text-slate-600">standalone</span>}</td>
              <td className="pr-3 pt-2"><Versions row={r} /></td>
              <td className="pr-3 pt-2.5"><NodeDots nodes={r.nodes} now={now} /></td>
              <td className={`whitespace-nowrap pr-3 pt-2 text-xs ${r.nodes.some((n) => n.status !== "ok") ? "text-red-700" : ""}`} title={r.lastContactAt ? formatTime(r.lastContactAt) : "never answered"}>{formatAgo(r.lastContactAt, now)}</td>
              <td className="pr-3 pt-2"><Plan plan={r.plan} now={now} />{r.plan && <Link prefetch={false} className="block text-xs text-sky-700 hover:underline" href={r.kind === "cluster" ? `/history?cluster=${r.id}` : `/history?appliance=${r.id}`}>all plans</Link>}</td>
              <td className="max-w-[16rem] pr-3 pt-2"><TagChips tags={r.tags} empty="" /></td>
              <td className="pr-3 pt-2"><Golden golden={r.golden} /></td>
              <td className="whitespace-nowrap pt-2"><ComplianceBadge compliance={r.compliance} reason={r.complianceReason} /></td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

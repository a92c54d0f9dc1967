import { StateBadge } from "@/components/ui/badge";
import { formatTime } from "@/components/ui/format";
import { Panel } from "@/components/ui/panel";
import type { PrecheckView } from "./plan-types";
import type { NodeProgress } from "./wizard-plan-feed";

/** Fixes the seed names, offered beside the failed precheck and applied only on a click [F8]. */
const FIXES: Record<string, { fix: string; label: string; when?: RegExp }> = {
  "audit-records-db": { fix: "disable-audit-records", label: "Turn off database audit records on one node" },
  "node-status": { fix: "remove-obsolete-node", label: "This node is obsolete: remove it from the cluster (closes this plan)", when: /rejoin|obsolete|removed/i },
};

export function PrechecksPanel({ prechecks, takenAt, actions, onFix, names }: { prechecks: PrecheckView[]; takenAt: string | null; actions?: React.ReactNode; onFix?: (fix: string, applianceId: string) => void; names?: Record<string, string> }) {
  return (
    <Panel title={`Prechecks${takenAt ? ` (taken ${formatTime(takenAt)})` : ""}`} actions={actions}>
      {prechecks.length === 0 && <p className="text-sm text-slate-500">Not taken yet.</p>}
      <ul className="space-y-2 text-sm" aria-label="Prechecks">
        {prechecks.map((p) => (
          <li key={p.id} className="grid grid-cols-[4.5rem_1fr] gap-2" data-testid={`precheck-${p.checkId}`}>
            <span><StateBadge state={p.status} /></span>
            <div>
              <p className="font-medium">{names && Object.keys(names).length > 1 && names[p.applianceId] ? <span className="mr-1 rounded bg-slate-100 px-1 text-xs">{names[p.applianceId]}</span> : null}{p.summary} <span className="text-xs font-normal text-slate-500">{p.ruleIds.map((r) => `[${r}]`).join(" ")}</span></p>
              <p className="mono text-xs text-slate-500">{p.evidence}</p>
              {p.remedy && p.status !== "pass" && <p className="text-xs text-amber-800">What to do: {p.remedy}</p>}
              {onFix && p.status === "fail" && FIXES[p.checkId] && (FIXES[p.checkId]!.when?.test(`${p.summary} ${p.remedy}`) ?? true) && (
                <button type="button" className="mt-1 rounded border border-amber-400 px-2 py-0.5 text-xs hover:bg-amber-50" onClick={() => { if (window.confirm(`${FIXES[p.checkId]!.label}?`)) onFix(FIXES[p.checkId]!.fix, p.applianceId); }}>{FIXES[p.checkId]!.label}</button>
              )}
            </div>
          </li>
        ))}
      </ul>
    </Panel>
  );
}

/** While prechecks run: each node, pending, being observed, or done (with what answered). */
export function PrecheckNodesProgress({ nodes, running }: { nodes: NodeProgress[]; running: boolean }) {
  if (nodes.length === 0) return null;
  const done = nodes.filter((n) => n.state === "done" || n.state === "failed").length;
  return (
    <div className="rounded border border-slate-200 p-3" data-testid="precheck-nodes" aria-live="polite">
      <p className="mb-2 text-sm font-medium">{running ? `Observing the nodes: ${done} of ${nodes.length} done` : `Observed ${nodes.length} node${nodes.length > 1 ? "s" : ""}`}</p>
      <ul className="space-y-1 text-sm" aria-label="Prechecks per node">
        {nodes.map((n) => (
          <li key={n.applianceId} className="grid grid-cols-[5.5rem_1fr] items-start gap-2" data-testid={`precheck-node-${n.name}`} data-state={n.state}>
            <span><StateBadge state={n.state} /></span>
            <span><span className="font-medium">{n.name || "appliance"}</span>{n.detail ? <span className="mono block text-xs text-slate-500">{n.detail}</span> : <span className="text-xs text-slate-500"> {n.state === "running" ? "reading disk, services and REST..." : "waiting"}</span>}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}

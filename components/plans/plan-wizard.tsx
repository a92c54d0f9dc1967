"use client";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { api } from "@/components/api";
import type { ArchiveRow } from "@/components/archives/archives-table";
import { Badge } from "@/components/ui/badge";
import { formatDuration } from "@/components/ui/format";
import { buttonClass, ErrorNote, inputClass, labelClass, Panel } from "@/components/ui/panel";

interface MethodView {
  method: string; available: boolean; suggested: boolean; message: string; pathMessage: string;
  traits: { configurationPreserved: boolean; availableToClientsThroughout: boolean; skipVersions: string; releaseTypes: string; vendorTool: string; oneCommandForAllNodes: boolean };
  path: { index: number; to: string; tested: boolean; forceFlag: boolean }[] | null;
  archives: { hop: number; fileName: string }[]; missing: string[];
  downtime: { totalSeconds: number; clientOutageSeconds: number; message: string } | null;
}
interface Options { targets: { clustered: boolean; nodes: { name: string; version: string | null }[] }; methods: MethodView[] }

const LABEL: Record<string, string> = { standalone: "Standalone upgrade", "online-rolling": "Online in-place (rolling)", "offline-in-place": "Offline in-place (prepare, then upgrade)", "remove-rebuild": "Cluster remove/rebuild", downgrade: "Downgrade" };

/** Pick a target version, see every method with why it is or is not available, then create the plan. */
export function PlanWizard({ applianceId, clusterId, name }: { applianceId?: string; clusterId?: string; name: string }) {
  const router = useRouter();
  const archives = useQuery({ queryKey: ["archives"], queryFn: () => api<ArchiveRow[]>("/api/archives") });
  const [target, setTarget] = useState("");
  const [method, setMethod] = useState("");
  const [override, setOverride] = useState("");
  const [ack, setAck] = useState("");
  const scope = clusterId ? `clusterId=${clusterId}` : `applianceId=${applianceId}`;
  const options = useQuery({ queryKey: ["plan-options", scope, target], enabled: Boolean(target), queryFn: () => api<Options>(`/api/plans/options?${scope}&targetVersion=${encodeURIComponent(target)}`) });
  const create = useMutation({
    mutationFn: () => api<{ id: string }>("/api/plans", { method: "POST", json: { applianceId, clusterId, targetVersion: target, method: effective || undefined, overrideReason: override || undefined, acknowledgement: ack || undefined } }),
    onSuccess: (p) => router.push(`/plans/${p.id}`),
  });
  const versions = [...new Set((archives.data ?? []).filter((a) => a.status === "verified" && a.version).map((a) => a.version!))];
  // The suggested method is chosen until the person picks another.
  const effective = method || options.data?.methods.find((m) => m.available && m.suggested)?.method || options.data?.methods.find((m) => m.available)?.method || "";
  const chosen = options.data?.methods.find((m) => m.method === effective);
  return (
    <Panel title="Plan an upgrade">
      <div className="space-y-3">
        <div>
          <label className={labelClass} htmlFor="target">Target version (from verified archives)</label>
          <select id="target" className={inputClass} value={target} onChange={(e) => { setTarget(e.target.value); setMethod(""); }}>
            <option value="">Choose a version</option>
            {versions.map((v) => <option key={v} value={v}>{v}</option>)}
          </select>
          {versions.length === 0 && <p className="mt-1 text-xs text-amber-700">No verified archive yet: <Link className="underline" href="/archives">upload one</Link>.</p>}
        </div>
        <ErrorNote error={options.error} />
        {options.data && (
          <fieldset className="space-y-2" aria-label="Methods">
            <legend className={labelClass}>Method</legend>
            {options.data.methods.map((m) => (
              <label key={m.method} data-testid={`method-${m.method}`} className={`block rounded border p-2 text-sm ${m.available ? "cursor-pointer border-slate-300 dark:border-slate-700" : "border-dashed border-slate-200 text-slate-500 dark:border-slate-800"} ${effective === m.method ? "ring-2 ring-sky-500" : ""}`}>
                <div className="flex items-center gap-2">
                  <input type="radio" name="method" value={m.method} disabled={!m.available} checked={effective === m.method} onChange={() => setMethod(m.method)} />
                  <span className="font-medium">{LABEL[m.method] ?? m.method}</span>
                  {m.suggested && <Badge tone="blue">suggested</Badge>}
                  {!m.available && <Badge tone="gray">not available</Badge>}
                  {m.downtime && <span className="ml-auto text-xs text-slate-500">about {formatDuration(m.downtime.totalSeconds * 1000)}; clients offline {formatDuration(m.downtime.clientOutageSeconds * 1000)}</span>}
                </div>
                <p className="ml-6 text-xs">{m.available ? m.pathMessage : m.message}</p>
                <p className="ml-6 text-xs text-slate-500" data-testid="traits">
                  Configuration {m.traits.configurationPreserved ? "kept" : "not kept"} · clients {m.traits.availableToClientsThroughout ? "served throughout" : "not served for part of it"} · skips versions: {m.traits.skipVersions === "to-2.15-or-later" ? "only to 2.15 or later" : m.traits.skipVersions} · targets: {m.traits.releaseTypes === "lts-only" ? "LTS releases only" : "all release types"} · tool: {m.traits.vendorTool}
                </p>
                {m.available && m.path && <p className="ml-6 text-xs text-slate-500">Path: {m.path.map((h) => `${h.to}${h.tested ? "" : " (untested)"}${h.forceFlag ? " (-o)" : ""}`).join(" → ")}</p>}
                {m.missing.length > 0 && <p className="ml-6 text-xs text-amber-800">Missing: {m.missing.join(" ")}</p>}
              </label>
            ))}
          </fieldset>
        )}
        {chosen?.method === "downgrade" && (
          <div className="rounded border border-red-300 bg-red-50 p-2 text-sm text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-100">
            <p>A downgrade resets the appliance: all data is wiped except existing backup files [D3]. A downgraded system is for test environments only, never production [D5]. For production, take a backup, factory reset, upgrade to the desired version and restore the backup [D6].</p>
            <label className={labelClass} htmlFor="ack">Type DOWNGRADE {name} to confirm</label>
            <input id="ack" className={inputClass} value={ack} onChange={(e) => setAck(e.target.value)} />
          </div>
        )}
        <div>
          <label className={labelClass} htmlFor="override">Override an untested path or a clustered downgrade (admin only): reason</label>
          <input id="override" className={inputClass} value={override} onChange={(e) => setOverride(e.target.value)} placeholder="leave empty to follow tested paths only" />
        </div>
        <ErrorNote error={create.error} />
        <button type="button" className={buttonClass} disabled={!target || create.isPending || (options.data !== undefined && !effective)} onClick={() => create.mutate()}>{create.isPending ? "Creating and prechecking..." : "Create plan and run prechecks"}</button>
      </div>
    </Panel>
  );
}

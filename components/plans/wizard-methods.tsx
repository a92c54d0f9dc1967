"use client";
import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { formatDuration } from "@/components/ui/format";

export interface MethodView {
  method: string; available: boolean; suggested: boolean; message: string; pathMessage: string;
  traits: { configurationPreserved: boolean; availableToClientsThroughout: boolean; skipVersions: string; releaseTypes: string; vendorTool: string; oneCommandForAllNodes: boolean };
  path: { index: number; to: string; tested: boolean; forceFlag: boolean }[] | null;
  archives: { hop: number; fileName: string }[]; missing: string[];
  downtime: { totalSeconds: number; clientOutageSeconds: number; message: string } | null;
}
export interface PlanOptions { targets: { clustered: boolean; nodes: { name: string; version: string | null }[] }; methods: MethodView[] }

export const METHOD_LABEL: Record<string, string> = { standalone: "Standalone upgrade", "online-rolling": "Online in-place (rolling)", "offline-in-place": "Offline in-place (prepare, then upgrade)", "remove-rebuild": "Cluster remove/rebuild", downgrade: "Downgrade", "restore-previous": "Restore the previous version" };

/** A method can be planned when the rules allow it and every archive of its path is here. */
export const usable = (m: MethodView) => m.available && m.missing.length === 0;

export function clientImpact(m: MethodView): string {
  if (m.traits.availableToClientsThroughout) return "Clients are served throughout (one node at a time).";
  const outage = m.downtime ? ` for about ${formatDuration(m.downtime.clientOutageSeconds * 1000)}` : "";
  return `Clients lose the service${outage}.${m.traits.configurationPreserved ? "" : " The configuration is not kept: it is restored from a backup."}`;
}

export function describePath(m: MethodView): string {
  return m.path?.map((h) => `${h.to}${h.tested ? "" : " (untested)"}${h.forceFlag ? " (with -o)" : ""}`).join(" → ") ?? "";
}

/** Every method, each with why it is or is not available, its time, client impact, path and archives. */
export function MethodList({ methods, chosen, onChoose }: { methods: MethodView[]; chosen: string; onChoose(method: string): void }) {
  return (
    <fieldset className="space-y-2">
      <legend className="mb-1 text-xs font-medium text-slate-600">Method: every one the vendor procedure knows, with why it can or cannot be used here</legend>
      {methods.map((m) => (
        <label key={m.method} data-testid={`method-${m.method}`} className={`block rounded border p-3 text-sm has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-offset-2 has-[:focus-visible]:outline-sky-600 ${m.available ? "cursor-pointer border-slate-300" : "border-dashed border-slate-300 bg-slate-50"} ${chosen === m.method ? "border-sky-600 bg-sky-50 ring-1 ring-sky-600" : ""}`}>
          <div className="flex flex-wrap items-center gap-2">
            <input type="radio" name="method" value={m.method} disabled={!m.available} checked={chosen === m.method} onChange={() => onChoose(m.method)} />
            <span className="font-medium">{METHOD_LABEL[m.method] ?? m.method}</span>
            {m.suggested && <Badge tone="blue">suggested</Badge>}
            {!m.available && <Badge tone="gray">not available</Badge>}
            {m.available && m.missing.length > 0 && <Badge tone="amber">archive missing</Badge>}
          </div>
          <p className={`ml-6 mt-1 ${m.available ? "" : "text-slate-600"}`}>{m.available ? m.pathMessage : `Why not: ${m.message}`}</p>
          {m.available && (
            <dl className="ml-6 mt-2 grid grid-cols-[7.5rem_1fr] gap-x-2 gap-y-0.5 text-xs">
              <dt className="text-slate-500">Estimated time</dt>
              <dd data-testid="downtime">{m.downtime ? `about ${formatDuration(m.downtime.totalSeconds * 1000)}` : "known once the archives are here"}</dd>
              <dt className="text-slate-500">Client impact</dt>
              <dd>{clientImpact(m)}</dd>
              <dt className="text-slate-500">Path</dt>
              <dd className="mono">{describePath(m) || "-"}</dd>
              <dt className="text-slate-500">Archives</dt>
              <dd>
                {m.archives.map((a) => <span key={a.hop} className="mono block break-all">hop {a.hop}: {a.fileName}</span>)}
                {m.missing.map((x) => <span key={x} className="block text-amber-800">Missing: {x}</span>)}
                {m.missing.length > 0 && <Link href="/archives" className="text-sky-700 underline">Upload the missing archive on the Archives page</Link>}
              </dd>
            </dl>
          )}
          <p className="ml-6 mt-1 text-xs text-slate-500" data-testid="traits">
            Configuration {m.traits.configurationPreserved ? "kept" : "not kept"} · clients {m.traits.availableToClientsThroughout ? "served throughout" : "not served for part of it"} · skips versions: {m.traits.skipVersions === "to-2.15-or-later" ? "only to 2.15 or later" : m.traits.skipVersions} · targets: {m.traits.releaseTypes === "lts-only" ? "LTS releases only" : "all release types"} · tool: {m.traits.vendorTool}
          </p>
        </label>
      ))}
    </fieldset>
  );
}

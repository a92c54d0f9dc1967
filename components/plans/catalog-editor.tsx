"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api } from "@/components/api";
import { Badge } from "@/components/ui/badge";
import { buttonClass, ErrorNote, inputClass, Panel } from "@/components/ui/panel";

interface Range { kind: string; line: string; patches?: number[]; minPatch?: number }
interface Release { version: string; type: string; testedFrom: Range[]; passThroughOnly?: boolean; downgradeTo?: string; diskRule: { kind: string; bytes?: number; factor?: number } }

const range = (r: Range) => (r.kind === "any-patch" ? `${r.line}.x` : r.kind === "patches" ? `${r.line}.${(r.patches ?? []).join("/")}` : r.kind === "from-patch" ? `${r.line}.${r.minPatch}+` : `latest ${r.line}`);
const disk = (d: Release["diskRule"]) => (d.kind === "archive-multiple" ? `${d.factor}× archive` : d.bytes ? `${Math.round(d.bytes / 1024 ** 3)} GiB` : d.kind);

/** The release catalog: read by everyone, edited as a whole by an admin and validated before it is used. */
export function CatalogEditor() {
  const qc = useQueryClient();
  const catalog = useQuery({ queryKey: ["catalog"], queryFn: () => api<{ releases: Release[] }>("/api/catalog") });
  const [text, setText] = useState<string | null>(null);
  const save = useMutation({
    mutationFn: () => api<{ warnings: { message: string }[] }>("/api/catalog", { method: "PUT", body: text ?? "", headers: { "content-type": "application/json" } }),
    onSuccess: () => { setText(null); void qc.invalidateQueries({ queryKey: ["catalog"] }); },
  });
  return (
    <>
      <Panel title="Releases">
        <table className="w-full text-left text-sm">
          <thead className="text-xs uppercase text-slate-500"><tr><th className="py-1">Release</th><th>Type</th><th>Tested from</th><th>Free disk on /</th><th>Downgrade to</th></tr></thead>
          <tbody>
            {catalog.data?.releases.map((r) => (
              <tr key={r.version} className="border-t border-slate-100 dark:border-slate-800">
                <td className="py-1 font-medium">{r.version}</td>
                <td><Badge tone={r.type === "lts" ? "blue" : "gray"}>{r.type}</Badge>{r.passThroughOnly && <Badge tone="amber">pass-through (-o)</Badge>}</td>
                <td className="text-xs">{r.testedFrom.map(range).join(", ") || "-"}</td>
                <td className="text-xs">{disk(r.diskRule)}</td>
                <td className="text-xs">{r.downgradeTo ?? "-"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Panel>
      <Panel title="Edit (admins)">
        <p className="mb-2 text-sm text-slate-500">When new release notes name other tested paths, LTS status or disk needs, edit the catalog here. It is checked as a whole before it replaces the one in force, and the change is audited.</p>
        <textarea aria-label="Catalog JSON" className={`${inputClass} mono h-64 text-xs`} value={text ?? JSON.stringify(catalog.data ?? {}, null, 2)} onChange={(e) => setText(e.target.value)} />
        <ErrorNote error={save.error} />
        <button type="button" className={`${buttonClass} mt-2`} disabled={text === null || save.isPending} onClick={() => save.mutate()}>Validate and save</button>
      </Panel>
    </>
  );
}

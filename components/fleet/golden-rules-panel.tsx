"use client";
// Golden versions by tag: every cluster or standalone appliance carrying the tag should run the
// version, unless it has its own; with several matching rules the highest version wins. Admins
// edit the whole list and save it at once; the server checks every line.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api } from "@/components/api";
import { useCan } from "@/components/use-me";
import { formatTime } from "@/components/ui/format";
import { buttonClass, ErrorNote, inputClass, Panel, secondaryButtonClass } from "@/components/ui/panel";
import type { GoldenRuleView } from "@/components/fleet/fleet-types";

type Draft = { tag: string; version: string }[];

export function GoldenRulesPanel({ tags, versions }: { tags: string[]; versions: string[] }) {
  const qc = useQueryClient();
  const canEdit = useCan("appliances:write");
  const rules = useQuery({ queryKey: ["golden-rules"], queryFn: () => api<GoldenRuleView[]>("/api/golden-rules") });
  const [draft, setDraft] = useState<Draft | null>(null);
  const save = useMutation({
    mutationFn: (next: Draft) => api<GoldenRuleView[]>("/api/golden-rules", { method: "PUT", json: { rules: next.filter((r) => r.tag.trim() || r.version.trim()) } }),
    onSuccess: () => { setDraft(null); void qc.invalidateQueries(); },
  });
  const edit = (i: number, field: "tag" | "version", value: string) => setDraft((d) => d!.map((r, j) => (j === i ? { ...r, [field]: value } : r)));
  const actions = canEdit && draft === null
    ? <button type="button" className={`${secondaryButtonClass} !py-1 text-xs`} onClick={() => { save.reset(); setDraft((rules.data ?? []).map(({ tag, version }) => ({ tag, version }))); }}>Edit rules</button>
    : undefined;
  return (
    <Panel title="Golden versions by tag" actions={actions}>
      <p className="mb-2 text-xs text-slate-500">A cluster or standalone appliance with its own golden version (set on its page) follows that; otherwise the highest version among the rules of its tags. A cluster carries its own tags and those all its nodes share.</p>
      {draft === null ? (
        <table className="text-sm" aria-label="Golden version rules">
          <tbody>
            {rules.data?.length === 0 && <tr><td className="py-1 text-slate-500">No rule yet{canEdit ? ": add one to give a whole site or environment its target version." : "."}</td></tr>}
            {rules.data?.map((r) => (
              <tr key={r.tag}><td className="mono py-1 pr-2">{r.tag}</td><td className="pr-2 text-xs text-slate-500">should run</td><td className="mono pr-4">{r.version}</td><td className="text-xs text-slate-500">set by {r.setBy}, {formatTime(r.createdAt)}</td></tr>
            ))}
          </tbody>
        </table>
      ) : (
        <form className="space-y-2" onSubmit={(e) => { e.preventDefault(); save.mutate(draft); }} onKeyDown={(e) => { if (e.key === "Escape") setDraft(null); }}>
          <datalist id="golden-rule-tags">{tags.map((t) => <option key={t} value={t} />)}</datalist>
          <datalist id="golden-rule-versions">{versions.map((v) => <option key={v} value={v} />)}</datalist>
          {draft.map((r, i) => (
            <div key={i} className="flex items-center gap-2">
              <input aria-label={`Tag of rule ${i + 1}`} className={`${inputClass} mono !w-56`} list="golden-rule-tags" placeholder="site=paris" value={r.tag} onChange={(e) => edit(i, "tag", e.target.value)} />
              <span className="text-xs text-slate-500">should run</span>
              <input aria-label={`Version of rule ${i + 1}`} className={`${inputClass} mono !w-44`} list="golden-rule-versions" placeholder="2.11.0+13003" value={r.version} onChange={(e) => edit(i, "version", e.target.value)} />
              <button type="button" className={`${secondaryButtonClass} !py-1 text-xs`} onClick={() => setDraft(draft.filter((_, j) => j !== i))}>Remove</button>
            </div>
          ))}
          <button type="button" className={`${secondaryButtonClass} !py-1 text-xs`} onClick={() => setDraft([...draft, { tag: "", version: "" }])}>Add a rule</button>
          <ErrorNote error={save.error} />
          <div className="flex gap-2">
            <button type="submit" className={buttonClass} disabled={save.isPending}>{save.isPending ? "Saving..." : "Save rules"}</button>
            <button type="button" className={secondaryButtonClass} onClick={() => setDraft(null)}>Cancel</button>
          </div>
        </form>
      )}
      {!canEdit && <p className="mt-2 text-xs text-slate-500">Only an admin changes golden versions.</p>}
    </Panel>
  );
}

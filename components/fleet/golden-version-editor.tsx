"use client";
// The golden version of one cluster or standalone appliance: shown to all, set or cleared by an admin.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api } from "@/components/api";
import { useCan } from "@/components/use-me";
import { buttonClass, ErrorNote, inputClass, labelClass, secondaryButtonClass } from "@/components/ui/panel";
import { deployableVersions, type DeployFacts } from "@/components/archives/deployable-versions";

export function GoldenVersionEditor({ kind, id, name, version }: { kind: "appliance" | "cluster"; id: string; name: string; version: string | null }) {
  const qc = useQueryClient();
  const canEdit = useCan("appliances:write");
  const [draft, setDraft] = useState<string | null>(null);
  // Offer the versions of deployable archives: what the fleet can actually be moved to.
  const archives = useQuery({ queryKey: ["archives"], queryFn: () => api<DeployFacts[]>("/api/archives"), enabled: draft !== null });
  const save = useMutation({
    mutationFn: (next: string | null) => api(`/api/${kind === "cluster" ? "clusters" : "appliances"}/${id}/golden`, { method: "PUT", json: { version: next } }),
    onSuccess: () => { setDraft(null); void qc.invalidateQueries(); },
  });
  const inputId = `golden-${kind}-${id}`;
  if (draft === null) {
    return (
      <div className="flex flex-wrap items-center gap-2" data-testid={`golden-${kind}`}>
        {version ? <span className="mono">{version}</span> : <span className="text-xs text-slate-500">none set here: the rules of its tags apply (see Fleet)</span>}
        {canEdit && <button type="button" className={`${secondaryButtonClass} !px-2 !py-0.5 text-xs`} onClick={() => { save.reset(); setDraft(version ?? ""); }}>Set golden version of {name}</button>}
        {save.isSuccess && <span role="status" className="text-xs text-emerald-700">Saved.</span>}
      </div>
    );
  }
  const offered = deployableVersions(archives.data);
  return (
    <form className="space-y-2" onSubmit={(e) => { e.preventDefault(); save.mutate(draft.trim() || null); }} onKeyDown={(e) => { if (e.key === "Escape") setDraft(null); }}>
      <label className={labelClass} htmlFor={inputId}>Golden version of {name} (e.g. 2.11.0+13003; empty clears it)</label>
      <input id={inputId} className={`${inputClass} mono`} list={`${inputId}-offered`} value={draft} autoFocus onChange={(e) => setDraft(e.target.value)} />
      <datalist id={`${inputId}-offered`}>{offered.map((v) => <option key={v} value={v} />)}</datalist>
      <ErrorNote error={save.error} />
      <div className="flex gap-2">
        <button type="submit" className={buttonClass} disabled={save.isPending}>{save.isPending ? "Saving..." : "Save golden version"}</button>
        {version && <button type="button" className={secondaryButtonClass} onClick={() => save.mutate(null)} disabled={save.isPending}>Clear it</button>}
        <button type="button" className={secondaryButtonClass} onClick={() => setDraft(null)}>Cancel</button>
      </div>
    </form>
  );
}

"use client";
// Which targets the campaign takes, and a live preview of what that selection matches now.
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { api } from "@/components/api";
import { TagChips } from "@/components/fleet/tags-editor";
import { ErrorNote } from "@/components/ui/panel";
import { Fieldset, TextField } from "./fields";
import type { CampaignFormState } from "./campaign-form-state";
import { selectionOf } from "./campaign-form-state";
import type { PreviewTarget } from "./campaign-types";
import { useDebounced } from "./use-debounced";

type SetField = <K extends keyof CampaignFormState>(key: K, value: CampaignFormState[K]) => void;

export function SelectionFields({ f, set }: { f: CampaignFormState; set: SetField }) {
  return (
    <Fieldset legend="Selection">
      <p className="text-xs text-slate-500 dark:text-slate-400">Comma-separated. A target must carry every tag (a cluster&apos;s tags count for its nodes) and match any of the versions, models and names given. Leave all empty to take the whole fleet.</p>
      <div className="grid grid-cols-2 gap-3">
        <TextField id="sel-tags" label="Tags (all of)" value={f.tags} onChange={(v) => set("tags", v)} placeholder="site=paris, env=lab" mono />
        <TextField id="sel-versions" label="Versions (any of)" value={f.versions} onChange={(v) => set("versions", v)} placeholder="2.10, 2.9.0+11937" mono />
        <TextField id="sel-models" label="Models (any of)" value={f.models} onChange={(v) => set("models", v)} placeholder="CipherTrust Manager k470v" />
        <TextField id="sel-names" label="Names (any of; * matches anything)" value={f.names} onChange={(v) => set("names", v)} placeholder="cm-lon-*, cm-par" mono />
      </div>
    </Fieldset>
  );
}

export function SelectionPreview({ f }: { f: CampaignFormState }) {
  const selection = useDebounced(selectionOf(f), 350);
  const preview = useQuery({
    queryKey: ["campaign-preview", selection],
    queryFn: () => api<PreviewTarget[]>("/api/campaigns/preview", { method: "POST", json: selection }),
    placeholderData: keepPreviousData,
    retry: false,
  });
  const rows = preview.data ?? [];
  return (
    <section aria-labelledby="preview-title" className="rounded-lg border border-slate-200 bg-white shadow-sm dark:border-slate-800 dark:bg-slate-900">
      <header className="flex items-center justify-between border-b border-slate-200 px-4 py-2.5 dark:border-slate-800">
        <h2 id="preview-title" className="text-sm font-semibold">Matched targets</h2>
        <span className="text-xs text-slate-500" role="status" data-testid="preview-count">{preview.isFetching ? "updating..." : `${rows.length} target${rows.length === 1 ? "" : "s"}`}</span>
      </header>
      <div className="max-h-[28rem] overflow-y-auto p-3">
        {preview.isError ? <ErrorNote error={preview.error} /> : (
          <table className="w-full text-left text-sm" aria-label="Matched targets">
            <thead className="text-xs uppercase text-slate-500"><tr><th className="py-1 pr-2">Name</th><th className="pr-2">Version</th><th className="pr-2">Model</th><th>Tags</th></tr></thead>
            <tbody>
              {rows.length === 0 && !preview.isFetching && <tr><td colSpan={4} className="py-2 text-slate-500">Nothing matches this selection.</td></tr>}
              {rows.map((t) => (
                <tr key={t.applianceId} className="border-t border-slate-100 align-top dark:border-slate-800">
                  <td className="py-1 pr-2 font-medium">{t.name}<span className="block text-xs font-normal text-slate-500">{t.kind === "cluster" ? `cluster: ${t.nodes.map((n) => n.name).join(", ")}` : "standalone"}{t.site ? ` · site ${t.site}` : ""}</span></td>
                  <td className="mono pr-2 text-xs">{t.fromVersion ?? "?"}{t.reason && <span className="block font-sans text-amber-800 dark:text-amber-300">{t.reason}</span>}</td>
                  <td className="pr-2 text-xs">{t.model ?? "-"}</td>
                  <td><TagChips tags={t.tags} empty="" /></td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </section>
  );
}

"use client";
// Tags as chips, and for an admin an inline editor: one comma-separated line, checked by the server.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api } from "@/components/api";
import { useCan } from "@/components/use-me";
import { buttonClass, ErrorNote, inputClass, labelClass, secondaryButtonClass } from "@/components/ui/panel";

export function TagChips({ tags, empty = "no tags" }: { tags: readonly string[] | undefined; empty?: string }) {
  if (!tags?.length) return <span className="text-xs text-slate-500">{empty}</span>;
  return (
    <ul className="inline-flex flex-wrap gap-1" aria-label="Tags">
      {tags.map((t) => <li key={t} className="mono rounded-full bg-indigo-50 px-2 py-0.5 text-xs text-indigo-800 ring-1 ring-inset ring-indigo-600/20 dark:bg-indigo-950 dark:text-indigo-200">{t}</li>)}
    </ul>
  );
}

function splitList(text: string): string[] {
  return text.split(",").map((t) => t.trim()).filter(Boolean);
}

/** `kind` and `id` name what is tagged; `name` says it to the person (and to a screen reader). */
export function TagsEditor({ kind, id, name, tags }: { kind: "appliance" | "cluster"; id: string; name: string; tags: readonly string[] }) {
  const qc = useQueryClient();
  const canEdit = useCan("appliances:write");
  const [draft, setDraft] = useState<string | null>(null);
  const save = useMutation({
    mutationFn: (text: string) => api(`/api/${kind === "cluster" ? "clusters" : "appliances"}/${id}/tags`, { method: "PUT", json: { tags: splitList(text) } }),
    onSuccess: () => { setDraft(null); void qc.invalidateQueries(); },
  });
  const inputId = `tags-${kind}-${id}`;
  if (draft === null) {
    return (
      <div className="flex flex-wrap items-center gap-2" data-testid={`tags-${kind}`}>
        <TagChips tags={tags} />
        {canEdit && <button type="button" className={`${secondaryButtonClass} !px-2 !py-0.5 text-xs`} onClick={() => { save.reset(); setDraft(tags.join(", ")); }}>Edit tags of {name}</button>}
        {save.isSuccess && <span role="status" className="text-xs text-emerald-700">Saved.</span>}
      </div>
    );
  }
  return (
    <form className="space-y-2" onSubmit={(e) => { e.preventDefault(); save.mutate(draft); }} onKeyDown={(e) => { if (e.key === "Escape") setDraft(null); }}>
      <label className={labelClass} htmlFor={inputId}>Tags of {name} (comma-separated key=value, e.g. site=paris, env=lab)</label>
      <input id={inputId} className={`${inputClass} mono`} value={draft} autoFocus onChange={(e) => setDraft(e.target.value)} />
      <ErrorNote error={save.error} />
      <div className="flex gap-2">
        <button type="submit" className={buttonClass} disabled={save.isPending}>{save.isPending ? "Saving..." : "Save tags"}</button>
        <button type="button" className={secondaryButtonClass} onClick={() => setDraft(null)}>Cancel</button>
      </div>
    </form>
  );
}

"use client";
// A new campaign: name and target version, the selection with its live preview, policy, waves and
// distribution. The server validates the whole; its message is shown as it is.
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { api } from "@/components/api";
import type { ArchiveRow } from "@/components/archives/archives-table";
import { CatalogOnlyNote, deployableVersions } from "@/components/archives/deployable-versions";
import { buttonClass, ErrorNote, inputClass, labelClass } from "@/components/ui/panel";
import { Fieldset, TextField } from "./fields";
import { INITIAL_FORM, toCreateInput, type CampaignFormState } from "./campaign-form-state";
import { SelectionFields, SelectionPreview } from "./selection-fields";
import { DistributionFields, PolicyFields, WaveFields } from "./wave-fields";

export function CampaignForm() {
  const router = useRouter();
  const [f, setF] = useState<CampaignFormState>(INITIAL_FORM);
  const set = <K extends keyof CampaignFormState>(key: K, value: CampaignFormState[K]) => setF((prev) => ({ ...prev, [key]: value }));
  const archives = useQuery({ queryKey: ["archives"], queryFn: () => api<ArchiveRow[]>("/api/archives") });
  const versions = deployableVersions(archives.data);
  const create = useMutation({
    mutationFn: () => api<{ id: string }>("/api/campaigns", { method: "POST", json: toCreateInput(f) }),
    onSuccess: (c) => router.push(`/campaigns/${c.id}`),
  });
  return (
    <form className="grid items-start gap-4 lg:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]" onSubmit={(e) => { e.preventDefault(); create.mutate(); }}>
      <div className="space-y-4">
        <Fieldset legend="Campaign">
          <div className="grid grid-cols-2 gap-3">
            <TextField id="name" label="Name" value={f.name} onChange={(v) => set("name", v)} placeholder="2.11 rollout, Q4" />
            <div>
              <label className={labelClass} htmlFor="target-version">Target version (from verified archives)</label>
              <select id="target-version" className={inputClass} value={f.targetVersion} onChange={(e) => set("targetVersion", e.target.value)}>
                <option value="">Choose a version</option>
                {versions.map((v) => <option key={v} value={v}>{v}</option>)}
              </select>
              {archives.isSuccess && versions.length === 0 && <p className="mt-1 text-xs text-amber-800">No verified archive yet: <Link className="underline" href="/archives">upload one</Link>.</p>}
              <CatalogOnlyNote archives={archives.data} />
            </div>
          </div>
        </Fieldset>
        <SelectionFields f={f} set={set} />
        <PolicyFields f={f} set={set} />
        <WaveFields f={f} set={set} />
        <DistributionFields f={f} set={set} />
        <ErrorNote error={create.error} />
        <div className="flex items-center gap-3">
          <button type="submit" className={buttonClass} disabled={create.isPending}>{create.isPending ? "Creating..." : "Create campaign"}</button>
          <span className="text-xs text-slate-500">Nothing runs yet: next you see the campaign, run a dry run, then launch it.</span>
        </div>
      </div>
      <div className="lg:sticky lg:top-4">
        <SelectionPreview f={f} />
      </div>
    </form>
  );
}

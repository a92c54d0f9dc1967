"use client";
// Policy (cluster methods in order), waves (canary, split, pace, brake, approvals) and distribution.
import { secondaryButtonClass } from "@/components/ui/panel";
import { CheckField, Fieldset, TextField } from "./fields";
import { METHOD_LABEL, type CampaignFormState } from "./campaign-form-state";

type SetField = <K extends keyof CampaignFormState>(key: K, value: CampaignFormState[K]) => void;

export function PolicyFields({ f, set }: { f: CampaignFormState; set: SetField }) {
  const move = (i: number, by: -1 | 1) => {
    const next = [...f.clusterMethods];
    [next[i], next[i + by]] = [next[i + by]!, next[i]!];
    set("clusterMethods", next);
  };
  return (
    <Fieldset legend="Policy: cluster methods, in order of preference">
      <p className="text-xs text-slate-500 dark:text-slate-400">A cluster gets the first ticked method its upgrade path allows. Offline in-place and remove/rebuild stop client traffic: they are used only when the cluster&apos;s plan has an approved maintenance window. Standalone appliances always use the standalone method.</p>
      <ol className="space-y-1" aria-label="Cluster methods in order">
        {f.clusterMethods.map((m, i) => (
          <li key={m.method} className="flex items-center gap-2 text-sm">
            <span className="w-5 text-right text-xs text-slate-500">{i + 1}.</span>
            <input id={`method-${m.method}`} type="checkbox" checked={m.on} onChange={(e) => set("clusterMethods", f.clusterMethods.map((x) => (x.method === m.method ? { ...x, on: e.target.checked } : x)))} />
            <label htmlFor={`method-${m.method}`} className="flex-1">{METHOD_LABEL[m.method]}</label>
            <button type="button" className={`${secondaryButtonClass} !px-2 !py-0.5 text-xs`} disabled={i === 0} onClick={() => move(i, -1)} aria-label={`Move ${METHOD_LABEL[m.method]} up`}>↑</button>
            <button type="button" className={`${secondaryButtonClass} !px-2 !py-0.5 text-xs`} disabled={i === f.clusterMethods.length - 1} onClick={() => move(i, 1)} aria-label={`Move ${METHOD_LABEL[m.method]} down`}>↓</button>
          </li>
        ))}
      </ol>
    </Fieldset>
  );
}

export function WaveFields({ f, set }: { f: CampaignFormState; set: SetField }) {
  return (
    <Fieldset legend="Waves">
      <div className="grid grid-cols-3 gap-3">
        <TextField id="canary-tag" label="Canary tag" value={f.canaryTag} onChange={(v) => set("canaryTag", v)} placeholder="env=lab" mono />
        <TextField id="canary-names" label="Canary names" value={f.canaryNames} onChange={(v) => set("canaryNames", v)} placeholder="cm-lab-01" mono />
        <TextField id="canary-size" label="Canary size" type="number" min={1} value={f.canarySize} onChange={(v) => set("canarySize", v)} />
      </div>
      <p className="-mt-1 text-xs text-slate-500 dark:text-slate-400">The canary wave: targets with the tag, or the named ones, else the first few. Any canary failure halts the campaign.</p>
      <div className="grid grid-cols-3 items-end gap-3">
        <div role="radiogroup" aria-label="Split the other targets" className="space-y-1 text-sm">
          <span className="block text-xs font-medium text-slate-600 dark:text-slate-400">Then split the rest</span>
          <label className="flex items-center gap-2"><input type="radio" name="split" checked={f.splitBy === "size"} onChange={() => set("splitBy", "size")} /> by size</label>
          <label className="flex items-center gap-2"><input type="radio" name="split" checked={f.splitBy === "tag"} onChange={() => set("splitBy", "tag")} /> one wave per tag value</label>
        </div>
        {f.splitBy === "size"
          ? <TextField id="split-size" label="Targets per wave" type="number" min={1} value={f.splitSize} onChange={(v) => set("splitSize", v)} />
          : <TextField id="split-key" label="Tag key" value={f.splitKey} onChange={(v) => set("splitKey", v)} placeholder="site" mono />}
        <TextField id="concurrency" label="Concurrency in a wave" type="number" min={1} value={f.concurrency} onChange={(v) => set("concurrency", v)} />
      </div>
      <div className="grid grid-cols-3 gap-3">
        <TextField id="soak" label="Soak (seconds)" type="number" min={0} value={f.soakSeconds} onChange={(v) => set("soakSeconds", v)} hint="healthy this long before the next wave" />
        <TextField id="brake-n" label="Brake: failures" type="number" min={0} value={f.maxFailures} onChange={(v) => set("maxFailures", v)} hint="halt above this many in a wave" />
        <TextField id="brake-pct" label="Brake: failure %" type="number" min={0} max={100} value={f.maxFailurePercent} onChange={(v) => set("maxFailurePercent", v)} hint="or above this share of a wave" />
      </div>
      <div className="grid grid-cols-2 gap-3">
        <CheckField id="approval" label="An approver approves each wave" checked={f.approvalBeforeEachWave} onChange={(v) => set("approvalBeforeEachWave", v)} />
        <CheckField id="auto-advance" label="Advance automatically after the soak" hint="otherwise an operator advances each wave" checked={f.autoAdvance} onChange={(v) => set("autoAdvance", v)} />
      </div>
    </Fieldset>
  );
}

export function DistributionFields({ f, set }: { f: CampaignFormState; set: SetField }) {
  return (
    <Fieldset legend="Distribution of archives">
      <CheckField id="distribute" label="Copy archives to every target at launch, ahead of its wave" checked={f.distributionEnabled} onChange={(v) => set("distributionEnabled", v)} />
      <div className="grid grid-cols-2 gap-3">
        <TextField id="uploads" label="Uploads at once (whole fleet)" type="number" min={1} value={f.maxConcurrentUploads} onChange={(v) => set("maxConcurrentUploads", v)} />
        <TextField id="site-bandwidth" label="Bandwidth per site (MiB/s)" type="number" min={0.0625} step={0.5} value={f.siteMiBPerSecond} onChange={(v) => set("siteMiBPerSecond", v)} placeholder="no limit" hint="shared by all uploads to one site= tag" />
      </div>
    </Fieldset>
  );
}

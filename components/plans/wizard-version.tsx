"use client";
import type { ReactNode } from "react";
import Link from "next/link";
import { buttonClass, ErrorNote, inputClass, labelClass, secondaryButtonClass } from "@/components/ui/panel";
import { MethodList, usable, type PlanOptions } from "./wizard-methods";

export interface Choice { target: string; method: string; override: string; ack: string }

/** The suggested method until the person picks another; else the first one that can be used. */
export function effectiveMethod(options: PlanOptions | undefined, picked: string): string {
  if (picked) return picked;
  return options?.methods.find((m) => m.available && m.suggested)?.method ?? options?.methods.find((m) => m.available)?.method ?? "";
}

interface Props {
  name: string;
  versions: string[];
  choice: Choice;
  onChange(choice: Choice): void;
  options: PlanOptions | undefined;
  optionsError: unknown;
  loadingOptions: boolean;
  /** A draft plan made earlier from other choices: going on replaces it. */
  replaces: string | null;
  busy: boolean;
  error: unknown;
  onNext(): void;
  onOpenRoom(): void;
  /** Under the version list: which verified versions are not offered, and why. */
  versionNote?: ReactNode;
}

/** Step 2: the target version, then every method for it. */
export function WizardVersion({ name, versions, choice, onChange, options, optionsError, loadingOptions, replaces, busy, error, onNext, onOpenRoom, versionNote }: Props) {
  const method = effectiveMethod(options, choice.method);
  const chosen = options?.methods.find((m) => m.method === method);
  const blocked = !choice.target ? "Choose a target version first."
    : !options ? (loadingOptions ? "Reading the methods..." : "The methods could not be read.")
    : !chosen ? "No method can take this target to that version: see each method's reason."
    : chosen.missing.length ? `The archive for ${chosen.missing.join(" ")} is missing: upload it on the Archives page.`
    : !usable(chosen) ? chosen.message
    : chosen.method === "downgrade" && choice.ack !== `DOWNGRADE ${name}` ? `Type DOWNGRADE ${name} to confirm the downgrade.`
    : null;
  return (
    <div className="space-y-4">
      <div>
        <label className={labelClass} htmlFor="target">Target version (from verified archives)</label>
        <select id="target" className={inputClass} value={choice.target} onChange={(e) => onChange({ ...choice, target: e.target.value, method: "" })}>
          <option value="">Choose a version</option>
          {versions.map((v) => <option key={v} value={v}>{v}</option>)}
        </select>
        {versions.length === 0 && <p className="mt-1 text-xs text-amber-800">No verified archive yet: <Link className="underline" href="/archives">upload one on the Archives page</Link>, then come back.</p>}
        {versionNote}
      </div>
      <ErrorNote error={optionsError} />
      {options && <MethodList methods={options.methods} chosen={method} onChoose={(m) => onChange({ ...choice, method: m })} />}
      {chosen?.method === "downgrade" && (
        <div className="rounded border border-red-300 bg-red-50 p-3 text-sm text-red-900">
          <p>A downgrade resets the appliance: all data is wiped except existing backup files [D3]. A downgraded system is for test environments only, never production [D5]. For production, take a backup, factory reset, upgrade to the desired version and restore the backup [D6].</p>
          <label className={`${labelClass} mt-2`} htmlFor="ack">Type DOWNGRADE {name} to confirm</label>
          <input id="ack" className={inputClass} value={choice.ack} onChange={(e) => onChange({ ...choice, ack: e.target.value })} />
        </div>
      )}
      <details className="text-sm">
        <summary className="cursor-pointer text-slate-600">Override an untested path (admin only)</summary>
        <label className={`${labelClass} mt-2`} htmlFor="override">Override an untested path or a clustered downgrade (admin only): reason</label>
        <input id="override" className={inputClass} value={choice.override} onChange={(e) => onChange({ ...choice, override: e.target.value })} placeholder="leave empty to follow tested paths only" />
      </details>
      {replaces && <p className="text-sm text-amber-800">You changed the choices of draft plan <Link className="underline" href={`/plans/${replaces}`}>{replaces.slice(0, 8)}</Link>: going on aborts it and makes a new one.</p>}
      <ErrorNote error={error} />
      <div className="flex flex-wrap items-center gap-3 border-t border-slate-200 pt-3">
        <button type="button" className={buttonClass} disabled={busy || blocked !== null} onClick={onNext}>{busy ? "Creating the plan and taking prechecks..." : "Next: create the draft plan and take prechecks"}</button>
        <button type="button" className={secondaryButtonClass} disabled={busy || blocked !== null} onClick={onOpenRoom}>Create plan and run prechecks in the plan room</button>
      </div>
      {blocked && choice.target && <p className="text-xs text-slate-600" data-testid="next-blocked">{blocked}</p>}
    </div>
  );
}

// Small labelled inputs for the campaign form: every input has a label and, when useful, a hint.
import type { ReactNode } from "react";
import { inputClass, labelClass } from "@/components/ui/panel";

export function TextField({ id, label, hint, value, onChange, type = "text", placeholder, mono, min, max, step }: {
  id: string; label: string; hint?: ReactNode; value: string; onChange: (v: string) => void; type?: "text" | "number"; placeholder?: string; mono?: boolean; min?: number; max?: number; step?: number;
}) {
  return (
    <div>
      <label className={labelClass} htmlFor={id}>{label}</label>
      <input id={id} type={type} className={`${inputClass}${mono ? " mono" : ""}`} value={value} placeholder={placeholder} min={min} max={max} step={step} onChange={(e) => onChange(e.target.value)} aria-describedby={hint ? `${id}-hint` : undefined} />
      {hint && <p id={`${id}-hint`} className="mt-0.5 text-xs text-slate-500 dark:text-slate-400">{hint}</p>}
    </div>
  );
}

export function CheckField({ id, label, hint, checked, onChange }: { id: string; label: string; hint?: string; checked: boolean; onChange: (v: boolean) => void }) {
  return (
    <div className="flex items-start gap-2 text-sm">
      <input id={id} type="checkbox" className="mt-0.5" checked={checked} onChange={(e) => onChange(e.target.checked)} aria-describedby={hint ? `${id}-hint` : undefined} />
      <div>
        <label htmlFor={id}>{label}</label>
        {hint && <p id={`${id}-hint`} className="text-xs text-slate-500 dark:text-slate-400">{hint}</p>}
      </div>
    </div>
  );
}

export function Fieldset({ legend, children }: { legend: string; children: ReactNode }) {
  return (
    <fieldset className="space-y-3 rounded border border-slate-200 p-3 dark:border-slate-800">
      <legend className="px-1 text-sm font-semibold">{legend}</legend>
      {children}
    </fieldset>
  );
}

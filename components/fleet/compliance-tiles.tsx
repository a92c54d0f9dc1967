"use client";
// The counts on top: one tile per compliance state, each a filter; the chosen one stays pressed.
import { COMPLIANCE_STATES, COMPLIANCE_TEXT, type Compliance } from "@/lib/domain/compliance";
import { COMPLIANCE_TONE } from "@/components/fleet/compliance-badge";

const TONE_CLASS: Record<string, string> = {
  red: "border-red-300 text-red-800", amber: "border-amber-300 text-amber-900", blue: "border-sky-300 text-sky-800", green: "border-emerald-300 text-emerald-800", gray: "border-slate-300 text-slate-700",
};

export function ComplianceTiles({ counts, selected, onSelect }: { counts: Record<Compliance, number> | undefined; selected: Compliance | undefined; onSelect: (c: Compliance | undefined) => void }) {
  const total = counts ? Object.values(counts).reduce((a, b) => a + b, 0) : undefined;
  const tile = (key: Compliance | undefined, label: string, meaning: string, count: number | undefined, tone: string) => {
    const pressed = selected === key;
    return (
      <button key={key ?? "all"} type="button" aria-pressed={pressed} title={meaning} onClick={() => onSelect(pressed ? undefined : key)}
        className={`flex min-w-0 flex-col rounded-lg border bg-white px-3 py-2 text-left shadow-sm transition hover:bg-slate-50 ${TONE_CLASS[tone]} ${pressed ? "ring-2 ring-sky-600" : ""} ${count === 0 ? "opacity-60" : ""}`}>
        <span className="text-2xl font-semibold tabular-nums">{count === undefined ? "-" : count.toLocaleString("en")}</span>
        <span className="truncate text-xs font-medium">{label}</span>
      </button>
    );
  };
  return (
    <div role="group" aria-label="Compliance counts (each a filter)" className="grid grid-cols-4 gap-2 md:grid-cols-7">
      {tile(undefined, "All rows", "every cluster and standalone appliance matching the other filters", total, "gray")}
      {COMPLIANCE_STATES.map((c) => tile(c, COMPLIANCE_TEXT[c].label, COMPLIANCE_TEXT[c].meaning, counts?.[c], COMPLIANCE_TONE[c]))}
    </div>
  );
}

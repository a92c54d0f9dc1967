import { StateBadge } from "@/components/ui/badge";
import { formatTime } from "@/components/ui/format";
import { Panel } from "@/components/ui/panel";
import type { PrecheckView } from "./plan-types";

export function PrechecksPanel({ prechecks, takenAt, actions }: { prechecks: PrecheckView[]; takenAt: string | null; actions?: React.ReactNode }) {
  return (
    <Panel title={`Prechecks${takenAt ? ` (taken ${formatTime(takenAt)})` : ""}`} actions={actions}>
      {prechecks.length === 0 && <p className="text-sm text-slate-500">Not taken yet.</p>}
      <ul className="space-y-2 text-sm" aria-label="Prechecks">
        {prechecks.map((p) => (
          <li key={p.id} className="grid grid-cols-[4.5rem_1fr] gap-2" data-testid={`precheck-${p.checkId}`}>
            <span><StateBadge state={p.status} /></span>
            <div>
              <p className="font-medium">{p.summary} <span className="text-xs font-normal text-slate-400">{p.ruleIds.map((r) => `[${r}]`).join(" ")}</span></p>
              <p className="mono text-xs text-slate-500">{p.evidence}</p>
              {p.remedy && p.status !== "pass" && <p className="text-xs text-amber-800 dark:text-amber-300">What to do: {p.remedy}</p>}
            </div>
          </li>
        ))}
      </ul>
    </Panel>
  );
}

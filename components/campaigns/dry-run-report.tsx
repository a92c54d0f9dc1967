// The dry run, as the server judged it just now: per target, the verdict and every reason.
import { StateBadge } from "@/components/ui/badge";
import { formatTime } from "@/components/ui/format";
import { Panel } from "@/components/ui/panel";
import type { DryRunView } from "./campaign-types";

const VERDICT_LABEL: Record<string, string> = {
  "would-upgrade": "would upgrade", "would-fail-prechecks": "would fail prechecks", "needs-window": "needs a window",
  unplannable: "cannot be planned", "already-on-target": "already on target", started: "already started",
};

export function DryRunReport({ report }: { report: DryRunView }) {
  const counts = Object.entries(VERDICT_LABEL).filter(([v]) => (report.summary[v as keyof typeof report.summary] ?? 0) > 0);
  return (
    <Panel title={`Dry run at ${formatTime(report.at)}${report.observed ? " (appliances read, nothing changed)" : " (stored facts only)"}`}>
      <p className="mb-2 flex flex-wrap gap-3 text-sm" data-testid="dry-run-summary">
        {counts.map(([v, label]) => <span key={v}><span className="font-semibold tabular-nums">{report.summary[v as keyof typeof report.summary]}</span> {label}</span>)}
      </p>
      <ul className="mb-3 list-disc space-y-0.5 pl-5 text-xs text-slate-700 dark:text-slate-300" aria-label="What the run would decide">
        {report.decisions.map((d) => <li key={d}>{d}</li>)}
      </ul>
      <div className="overflow-x-auto">
        <table className="w-full text-left text-sm" aria-label="Dry run verdicts">
          <thead className="text-xs uppercase text-slate-500"><tr><th className="py-1 pr-2">Target</th><th className="pr-2">Wave</th><th className="pr-2">Method and path</th><th className="pr-2">Verdict</th><th>Reasons</th></tr></thead>
          <tbody>
            {report.targets.map((t) => (
              <tr key={t.targetId} data-testid={`dry-run-${t.name}`} data-verdict={t.verdict} className="border-t border-slate-100 align-top dark:border-slate-800">
                <td className="py-1.5 pr-2 font-medium">{t.name}<span className="block text-xs font-normal text-slate-500">{t.kind} · <span className="mono">{t.fromVersion ?? "?"}</span></span></td>
                <td className="pr-2 text-xs">{t.waveName ?? "-"}</td>
                <td className="pr-2 text-xs">{t.method ?? "-"}{t.hops.length > 0 && <span className="mono block text-slate-500">{t.hops.map((h) => h.to).join(" → ")}</span>}</td>
                <td className="whitespace-nowrap pr-2"><StateBadge state={t.verdict} /></td>
                <td className="text-xs">
                  <ul className="space-y-0.5">{[...t.reasons, ...t.notes].map((r) => <li key={r}>{r}</li>)}</ul>
                  {t.missingArchives.length > 0 && <p className="mt-0.5 text-amber-800 dark:text-amber-300">Missing: {t.missingArchives.join(" ")}</p>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Panel>
  );
}

// The sections of the printable plan report (app/(console)/plans/[id]/report): plain markup that
// renders on the server, reads on paper, and keeps each row or step whole across page breaks.
import type { ReactNode } from "react";
import { StateBadge } from "@/components/ui/badge";
import { formatBytes, formatDuration } from "@/components/ui/format";
import type { PlanReport } from "@/lib/plans/plan-report";

/** One clock for a document that may be read anywhere: UTC, to the second. */
export function utc(d: Date | null | undefined): string {
  return d ? `${d.toISOString().slice(0, 19).replace("T", " ")} UTC` : "-";
}

export function Section({ title, id, children, note }: { title: string; id: string; children: ReactNode; note?: ReactNode }) {
  return (
    <section aria-labelledby={id} className="report-section rounded-lg border border-slate-200 bg-white p-4 shadow-sm print:rounded-none print:border-0 print:p-0 print:shadow-none">
      <h2 id={id} className="report-heading mb-2 text-base font-semibold">{title}</h2>
      {note && <p className="mb-2 text-xs text-slate-500">{note}</p>}
      {children}
    </section>
  );
}

const TONE: Record<string, string> = { info: "bg-slate-400", good: "bg-emerald-600", bad: "bg-red-600" };

export function TimelineSection({ timeline }: { timeline: PlanReport["timeline"] }) {
  return (
    <Section title="Timeline" id="timeline">
      <ol className="space-y-1 text-sm" aria-label="Timeline">
        {timeline.map((t, i) => (
          <li key={i} className="report-keep grid grid-cols-[11.5rem_0.75rem_1fr] items-baseline gap-2">
            <span className="mono text-xs text-slate-500">{utc(t.at)}</span>
            <span className={`inline-block h-2 w-2 rounded-full ${TONE[t.tone]}`} aria-hidden />
            <span>{t.what}{t.who && <span className="text-slate-500"> by {t.who}</span>}</span>
          </li>
        ))}
      </ol>
    </Section>
  );
}

export function PrechecksSection({ prechecks, multiNode }: { prechecks: PlanReport["prechecks"]; multiNode: boolean }) {
  return (
    <Section title={`Prechecks (${prechecks.length})`} id="prechecks" note="Each check as observed on the appliance, with the evidence it was judged on.">
      {prechecks.length === 0 ? <p className="text-sm text-slate-500">No precheck was taken.</p> : (
        <table className="w-full text-left text-sm" aria-label="Prechecks">
          <thead className="text-xs uppercase text-slate-500"><tr><th className="w-16 py-1">Result</th>{multiNode && <th>Node</th>}<th>Check and evidence</th><th className="w-44">Taken</th></tr></thead>
          <tbody>
            {prechecks.map((p) => (
              <tr key={p.id} className="report-keep border-t border-slate-100 align-top" data-testid={`report-precheck-${p.checkId}`}>
                <td className="py-1.5"><StateBadge state={p.status} /></td>
                {multiNode && <td className="text-xs">{p.node}</td>}
                <td className="py-1.5">
                  <p className="font-medium">{p.summary} <span className="text-xs font-normal text-slate-500">{p.ruleIds.map((r) => `[${r}]`).join(" ")}</span></p>
                  <p className="mono whitespace-pre-wrap break-all text-xs text-slate-600">{p.evidence}</p>
                  {p.remedy && p.status !== "pass" && <p className="text-xs text-amber-800">What to do: {p.remedy}</p>}
                </td>
                <td className="mono text-xs text-slate-500">{utc(p.takenAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Section>
  );
}

export function BackupsSection({ backups }: { backups: PlanReport["backups"] }) {
  return (
    <Section title={`Backups (${backups.length})`} id="backups" note="Taken before anything changed; the files and keys stay on the console's server.">
      {backups.length === 0 ? <p className="text-sm text-amber-800">No backup was confirmed for this plan.</p> : (
        <ul className="space-y-2 text-sm" aria-label="Backups">
          {backups.map((b) => (
            <li key={b.id} className="report-keep rounded border border-slate-200 p-2" data-testid="report-backup">
              <p><span className="font-medium">{b.node}</span>: {b.kind === "downloaded" ? `backup ${b.remoteBackupId ?? ""} of ${b.applianceVersion ?? "?"}, ${formatBytes(b.backupBytes)}, downloaded with its key` : "attested by an operator"} by {b.confirmedBy} at {utc(b.confirmedAt)}</p>
              {b.backupSha256 && <p className="mono break-all text-xs text-slate-600">backup sha256 {b.backupSha256}</p>}
              {b.keySha256 && <p className="mono break-all text-xs text-slate-600">key sha256 {b.keySha256}</p>}
              {b.attestation && <p className="text-xs text-slate-600">Attestation: {b.attestation}</p>}
            </li>
          ))}
        </ul>
      )}
    </Section>
  );
}

export function StepsSection({ steps, multiNode }: { steps: PlanReport["steps"]; multiNode: boolean }) {
  return (
    <Section title={`Steps (${steps.length})`} id="steps" note="Every step in order, with its start, end, duration and outcome, and the last lines of its output.">
      <ol className="space-y-2" aria-label="Steps">
        {steps.map((s, i) => (
          <li key={s.key} className="report-keep rounded border border-slate-200 p-2 text-sm" data-testid={`report-step-${s.kind}`} data-state={s.state}>
            <div className="flex flex-wrap items-baseline gap-x-3 gap-y-1">
              <span className="w-6 text-right text-xs text-slate-500">{i + 1}.</span>
              <StateBadge state={s.state} />
              <span className="font-medium">{s.title}</span>
              {multiNode && <span className="text-xs text-slate-500">{s.node}</span>}
              <span className="ml-auto mono text-xs text-slate-500">
                {s.startedAt ? `${utc(s.startedAt)} → ${s.finishedAt ? utc(s.finishedAt).slice(11) : "not finished"}` : "not started"}
                {s.durationMs !== null && <> · <span data-testid="step-duration">{formatDuration(s.durationMs)}</span></>}
                {s.attempts > 1 && ` · ${s.attempts} attempts`}
              </span>
            </div>
            {s.outcome && <p className={`ml-9 text-xs ${s.state === "failed" ? "text-red-700" : "text-slate-600"}`}>{s.outcome}</p>}
            {s.outputTail.length > 0 && (
              <pre className="mono ml-9 mt-1 max-h-none whitespace-pre-wrap break-all rounded bg-slate-50 p-2 text-[11px] leading-snug text-slate-700" aria-label={`Output of ${s.title}`}>
                {s.outputLines > s.outputTail.length && <span className="text-slate-400">… last {s.outputTail.length} of {s.outputLines} lines{"\n"}</span>}
                {s.outputTail.join("\n")}
              </pre>
            )}
          </li>
        ))}
      </ol>
    </Section>
  );
}

/** `key=value` pairs of an audit event's data, one line, for reading rather than parsing. */
function describeData(data: Record<string, unknown>): string {
  return Object.entries(data).filter(([, v]) => v !== null && v !== undefined && v !== "").map(([k, v]) => `${k}=${typeof v === "object" ? JSON.stringify(v) : String(v)}`).join(" · ");
}

export function AuditSection({ audit }: { audit: PlanReport["audit"] }) {
  return (
    <Section title={`Audit events (${audit.length})`} id="audit" note="From the hash-chained audit trail: every action on this plan, by a person or the system.">
      <table className="w-full text-left text-xs" aria-label="Audit events">
        <thead className="uppercase text-slate-500"><tr><th className="py-1">#</th><th>At</th><th>Actor</th><th>Action</th><th>Details</th></tr></thead>
        <tbody>
          {audit.map((e) => (
            <tr key={e.id} className="report-keep border-t border-slate-100 align-top">
              <td className="py-1 pr-2 text-slate-500">{e.id}</td>
              <td className="mono whitespace-nowrap pr-2">{utc(e.at)}</td>
              <td className="pr-2">{e.actor}</td>
              <td className="whitespace-nowrap pr-2 font-medium">{e.action}</td>
              <td className="break-all text-slate-600">{describeData(e.data)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Section>
  );
}

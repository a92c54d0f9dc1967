// The printable plan report: rendered on the server from lib/plans/plan-report.ts, so the browser's
// print (or "save as PDF") gets the whole document at once; the console's navigation is not printed.
import Link from "next/link";
import type { ReactNode } from "react";
import { getDb } from "@/lib/db/client";
import { currentUser } from "@/lib/http/route";
import { hasPermission } from "@/lib/domain/permissions";
import { isAppError } from "@/lib/errors";
import { needsWindow } from "@/lib/domain/maintenance-window";
import { readPlanReport, type PlanReport } from "@/lib/plans/plan-report";
import { StateBadge } from "@/components/ui/badge";
import { formatBytes, formatDuration } from "@/components/ui/format";
import { METHOD_LABEL } from "@/components/campaigns/campaign-form-state";
import { ReportActions } from "@/components/plans/report-actions";
import { AuditSection, BackupsSection, PrechecksSection, Section, StepsSection, TimelineSection, utc } from "@/components/plans/report-sections";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// A4 with room for a binder's holes; headings stay with what follows; a step or a row is not cut in two.
const PRINT_CSS = `
@page { size: A4; margin: 14mm 12mm; }
@media print {
  html, body { background: #fff !important; }
  body { font-size: 10pt; }
  .report-heading { break-after: avoid; }
  .report-keep { break-inside: avoid; }
  .report-section + .report-section { margin-top: 6mm; }
  a { color: inherit !important; text-decoration: none !important; }
}`;

export default async function PlanReportPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const user = await currentUser();
  if (!user || !hasPermission(user.role, "fleet:read")) return <p className="text-sm">Your role may not read plans.</p>;
  const report = UUID.test(id) ? await readPlanReport(getDb(), id).catch((e: unknown) => (isAppError(e) && e.code === "not-found" ? null : Promise.reject(e))) : null;
  if (!report) {
    return <p role="alert" className="text-sm">No plan {id}: the link is wrong or the plan was never created. Find it in <Link className="text-sky-700 underline" href="/history">History</Link>.</p>;
  }
  const { plan } = report;
  const multiNode = report.nodes.length > 1;
  return (
    <article className="space-y-5 text-slate-900" aria-label="Plan report">
      <style>{PRINT_CSS}</style>
      <header className="flex flex-wrap items-start gap-3">
        <div className="min-w-0 flex-1">
          <p className="text-xs uppercase tracking-wide text-slate-500">Plan report · Fleet Upgrade Console</p>
          <h1 className="text-xl font-semibold">
            {plan.target.kind === "cluster" ? `Cluster ${plan.target.name}` : plan.target.name}: {plan.fromVersion} → {plan.targetVersion}{" "}
            <span data-testid="report-state"><StateBadge state={plan.state} /></span>
          </h1>
          {plan.stateReason && <p className={`text-sm ${plan.state === "failed" || plan.state === "aborted" ? "text-red-700" : "text-slate-600"}`}>{plan.stateReason}</p>}
        </div>
        <ReportActions planId={plan.id} />
      </header>
      <Summary report={report} />
      <TimelineSection timeline={report.timeline} />
      <PrechecksSection prechecks={report.prechecks} multiNode={multiNode} />
      <BackupsSection backups={report.backups} />
      <StepsSection steps={report.steps} multiNode={multiNode} />
      <AuditSection audit={report.audit} />
      <p className="text-xs text-slate-500">Generated {utc(report.generatedAt)} for {user.email}. Plan {plan.id}.</p>
    </article>
  );
}

function Row({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <>
      <dt className="text-slate-500">{label}</dt>
      <dd data-testid={testId}>{children}</dd>
    </>
  );
}

function Summary({ report }: { report: PlanReport }) {
  const { plan, nodes, hops, windows } = report;
  const historyHref = plan.target.kind === "cluster" ? `/history?cluster=${plan.target.id}` : `/history?appliance=${plan.target.id}`;
  return (
    <Section title="Summary" id="summary">
      <dl className="grid grid-cols-[10rem_1fr] gap-x-4 gap-y-1 text-sm">
        <Row label="Plan">{plan.id}</Row>
        <Row label="Method" testId="report-method">{METHOD_LABEL[plan.method] ?? plan.method}</Row>
        <Row label="Target"><Link className="text-sky-700 hover:underline" href={historyHref}>{plan.target.kind === "cluster" ? `cluster ${plan.target.name}` : plan.target.name}</Link>{plan.campaign && <span className="text-slate-500"> · part of campaign {plan.campaign.name}</span>}</Row>
        <Row label={`Nodes (${nodes.length})`}>{nodes.map((n) => `${n.name}${n.fromVersion ? ` (${n.fromVersion})` : ""}`).join(", ")}</Row>
        <Row label="Archives">
          <ul>
            {hops.map((h) => (
              <li key={h.hop}>Hop {h.hop}: <span className="mono text-xs">{h.fileName}</span> ({formatBytes(h.sizeBytes)}{h.signer ? `, signed by ${h.signer}` : ""})<br /><span className="mono break-all text-xs text-slate-500">sha256 {h.sha256 ?? "unknown"}</span></li>
            ))}
          </ul>
        </Row>
        <Row label="Created" testId="report-created">{plan.createdBy} at {utc(plan.createdAt)}</Row>
        <Row label="Window" testId="report-window">
          {windows.length === 0 ? <span className="text-slate-500">{needsWindow(plan.method) ? "None was requested." : `None needed: a ${METHOD_LABEL[plan.method] ?? plan.method} plan runs without a maintenance window.`}</span> : (
            <ul>
              {windows.map((w) => (
                <li key={w.id}>{utc(w.startsAt)} to {utc(w.endsAt)}: requested by {w.requestedBy} at {utc(w.requestedAt)} ({w.reason}); {w.decidedBy ? `${w.state} by ${w.decidedBy} at ${utc(w.decidedAt)}${w.decisionComment ? ` ("${w.decisionComment}")` : ""}` : <strong>{w.state}, not decided</strong>}</li>
              ))}
            </ul>
          )}
        </Row>
        <Row label="Launched" testId="report-launched">{plan.launchedBy ? `${plan.launchedBy} at ${utc(plan.launchedAt)}` : "Not launched"}</Row>
        <Row label="Finished">{plan.finishedAt ? utc(plan.finishedAt) : plan.state === "failed" ? "Stopped at a failure (resumable)" : "-"}</Row>
        <Row label="Duration" testId="report-duration">{formatDuration(plan.durationMs)}</Row>
        {plan.overrideReason && <Row label="Override">{plan.overrideReason}</Row>}
        {plan.acknowledgement && <Row label="Acknowledged">{plan.acknowledgement}</Row>}
      </dl>
    </Section>
  );
}

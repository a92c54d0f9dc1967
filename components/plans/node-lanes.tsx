"use client";
// One lane per node, in the plan's order, on one time axis: each started step a segment coloured
// by its state, the step each node is at named, upload progress with bytes, rate and time left.
import { Badge } from "@/components/ui/badge";
import { formatDuration } from "@/components/ui/format";
import { Panel, secondaryButtonClass } from "@/components/ui/panel";
import { TransferProgress } from "@/components/ui/transfer-progress";
import { axisTicks, buildLanes, segmentBox, type Lane, type LaneState } from "@/lib/domain/plan-lanes";
import type { Verdict } from "@/lib/domain/plan-controls";
import type { Progress } from "./use-plan-events";
import type { PlanView, StepView } from "./plan-types";

const DONE = new Set(["succeeded", "skipped"]);
const SEGMENT_TONE: Record<string, string> = {
  succeeded: "bg-emerald-500", skipped: "bg-slate-400", running: "bg-sky-500 animate-pulse", waiting: "bg-amber-400",
  failed: "bg-red-600", cancelled: "bg-slate-300", pending: "bg-slate-300",
};
const LANE_LABEL: Record<LaneState, [string, "green" | "red" | "amber" | "blue" | "gray"]> = {
  running: ["working", "blue"], waiting: ["waiting for you", "amber"], failed: ["failed", "red"], done: ["done", "green"],
  cancelled: ["stopped", "gray"], "in-progress": ["part done", "amber"], untouched: ["not touched yet", "gray"],
};

interface Props {
  plan: PlanView;
  progress: Record<string, Progress>;
  nowMs: number;
  selected: string | null;
  onSelect(key: string | null): void;
  /** The verdict of "Retry node" for a lane with a failed step; undefined where nothing failed. */
  retryVerdict(applianceId: string): Verdict | undefined;
  onRetry(applianceId: string): void;
  retrying: boolean;
}

export function NodeLanes({ plan, progress, nowMs, selected, onSelect, retryVerdict, onRetry, retrying }: Props) {
  const view = buildLanes(plan.nodes, plan.steps, nowMs, plan.state === "running", plan.clusterId ? "Whole cluster" : "Whole plan");
  const span = view.axis ? view.axis.endMs - view.axis.startMs : 0;
  return (
    <Panel title={`Nodes (${plan.nodes.length}), in the order the plan takes them`} actions={<Legend />}>
      <div className="grid grid-cols-[17rem_1fr] gap-x-4">
        <div className="text-xs text-slate-500">{view.axis ? `Started ${new Date(view.axis.startMs).toLocaleTimeString()}` : ""}</div>
        <div className="relative h-5 text-xs text-slate-500" aria-hidden>
          {view.axis && axisTicks(span).map((t) => (
            <span key={t} className="absolute -translate-x-1/2 whitespace-nowrap first:translate-x-0" style={{ left: `${(t / span) * 100}%` }}>{t === 0 ? "0" : formatDuration(t)}</span>
          ))}
        </div>
      </div>
      <ol aria-label="Nodes" className="divide-y divide-slate-100 dark:divide-slate-800">
        {view.lanes.map((lane) => (
          <LaneRow key={lane.id} lane={lane} axis={view.axis} nowMs={nowMs} progress={progress} selected={selected} onSelect={onSelect}
            retry={lane.applianceId ? retryVerdict(lane.applianceId) : undefined} onRetry={() => lane.applianceId && onRetry(lane.applianceId)} retrying={retrying} />
        ))}
      </ol>
    </Panel>
  );
}

function LaneRow({ lane, axis, nowMs, progress, selected, onSelect, retry, onRetry, retrying }: {
  lane: Lane<StepView>; axis: { startMs: number; endMs: number } | null; nowMs: number; progress: Record<string, Progress>;
  selected: string | null; onSelect(key: string | null): void; retry: Verdict | undefined; onRetry(): void; retrying: boolean;
}) {
  // The whole plan's own steps never touch a node: "not started" says it better.
  const [label, tone] = lane.applianceId === null && lane.state === "untouched" ? ["not started", "gray"] as const : LANE_LABEL[lane.state];
  const uploads = lane.steps.filter((s) => s.kind === "upload-archive").map((s) => ({ step: s, p: uploadProgress(s, progress[s.key]) })).filter((u) => u.p !== null);
  return (
    <li className="grid grid-cols-[17rem_1fr] gap-x-4 py-2.5" data-testid={`lane-${lane.name}`} data-state={lane.state} aria-label={`${lane.name}: ${label}`}>
      <div className="min-w-0">
        <div className="flex flex-wrap items-center gap-x-2 gap-y-0.5">
          <span className="break-all font-medium">{lane.name}</span>
          <span className="whitespace-nowrap"><Badge tone={tone}>{label}</Badge></span>
        </div>
        <CurrentStep lane={lane} nowMs={nowMs} />
        {retry && (
          <div className="mt-1.5">
            <button type="button" className={`${secondaryButtonClass} !py-0.5 text-xs`} disabled={!retry.ok || retrying} onClick={onRetry} aria-describedby={`retry-${lane.id}`}>
              {retrying ? "Retrying..." : `Retry ${lane.name}`}
            </button>
            <p id={`retry-${lane.id}`} className="mt-0.5 text-xs text-slate-500">{retry.ok ? retry.note : retry.reason}</p>
          </div>
        )}
      </div>
      <div className="min-w-0 space-y-1.5">
        <div className="relative h-7 overflow-hidden rounded bg-slate-100 dark:bg-slate-800" role="group" aria-label={`Timeline of ${lane.name}`}>
          {!axis && <span className="absolute inset-0 flex items-center px-2 text-xs text-slate-500">Nothing started yet</span>}
          {axis && lane.segments.length === 0 && <span className="absolute inset-0 flex items-center px-2 text-xs text-slate-500">Nothing started on this node yet</span>}
          {axis && lane.segments.map((seg) => {
            const box = segmentBox(seg, axis);
            const text = `${seg.title}: ${seg.state}, ${formatDuration(seg.endMs - seg.startMs)}`;
            return (
              <button key={seg.key} type="button" title={text} aria-label={text} onClick={() => onSelect(selected === seg.key ? null : seg.key)}
                data-testid="segment" data-state={seg.state}
                className={`absolute inset-y-1 rounded-sm border-r border-white/70 dark:border-slate-900/70 ${SEGMENT_TONE[seg.state] ?? "bg-slate-400"} ${selected === seg.key ? "ring-2 ring-slate-900 dark:ring-white" : ""}`}
                style={{ left: `${box.leftPct}%`, width: `${box.widthPct}%` }} />
            );
          })}
        </div>
        {uploads.map(({ step, p }) => (
          <TransferProgress key={step.key} testId="upload-progress" done={p!.sent} total={p!.total} startedAt={p!.startedAt} samples={p!.samples}
            finishedAt={DONE.has(step.state) && step.finishedAt ? Date.parse(step.finishedAt) : null}
            label={`Archive upload to ${lane.name}${step.state === "pending" && step.attempts > 0 ? " (resumes at the next attempt)" : ""}`} />
        ))}
      </div>
    </li>
  );
}

function CurrentStep({ lane, nowMs }: { lane: Lane<StepView>; nowMs: number }) {
  const c = lane.current;
  const since = (s: StepView) => (s.startedAt ? formatDuration(nowMs - new Date(s.startedAt).getTime()) : "");
  if (!c) {
    const first = lane.steps.find((s) => s.startedAt)?.startedAt;
    const last = lane.steps.map((s) => s.finishedAt).filter((f): f is string => f !== null).sort().at(-1);
    return <p className="mt-0.5 text-xs text-emerald-700 dark:text-emerald-300" data-testid="lane-current">{lane.steps.length === 1 ? "Its one step is done" : `All ${lane.steps.length} steps done`}{first && last ? ` in ${formatDuration(new Date(last).getTime() - new Date(first).getTime())}` : ""}</p>;
  }
  const { step, phase } = c;
  const text = {
    now: <>Now: <span className="font-medium">{step.title}</span> · {since(step)}</>,
    waiting: <>Waiting for your confirmation: <span className="font-medium">{step.title}</span></>,
    failed: <>Failed: <span className="font-medium">{step.title}</span>{step.outcome ? `: ${step.outcome}` : ""}</>,
    next: <>Next: {step.title}</>,
  }[phase];
  const colour = { now: "text-sky-800 dark:text-sky-200", waiting: "text-amber-800 dark:text-amber-200", failed: "text-red-700 dark:text-red-300", next: "text-slate-600 dark:text-slate-400" }[phase];
  return <p className={`mt-0.5 line-clamp-4 text-xs ${colour}`} title={phase === "failed" ? step.outcome ?? undefined : undefined} data-testid="lane-current">{text}</p>;
}

function Legend() {
  const items: [string, string][] = [["succeeded", "done"], ["running", "running"], ["waiting", "waiting"], ["failed", "failed"], ["skipped", "skipped"]];
  return (
    <ul className="flex gap-3 text-xs text-slate-500" aria-label="Colours">
      {items.map(([state, text]) => <li key={state} className="flex items-center gap-1"><span className={`inline-block h-2.5 w-2.5 rounded-sm ${SEGMENT_TONE[state]!.replace(" animate-pulse", "")}`} />{text}</li>)}
      <li className="hidden sm:block">· click a segment for its log</li>
    </ul>
  );
}

/** The live report, else the one stored on the step; a succeeded upload has sent every byte. */
function uploadProgress(step: StepView, live: Progress | undefined): Progress | null {
  const stored = step.progress;
  const p: Progress | null = live ?? (stored && typeof stored.sent === "number" && typeof stored.total === "number"
    ? { sent: stored.sent, total: stored.total, startedAt: stored.startedAt ?? Date.now(), rate: stored.rate ?? 0, etaSeconds: stored.etaSeconds ?? null, done: stored.done, samples: [] }
    : null);
  return p && step.state === "succeeded" ? { ...p, sent: p.total } : p;
}

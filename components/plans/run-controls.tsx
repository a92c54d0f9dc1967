"use client";
// Pause after this node, resume, abort: each button says under it what it will do, or why it
// does not apply now. The verdicts are the server's own rules (lib/domain/plan-controls.ts).
import { useState } from "react";
import { inputClass, labelClass, secondaryButtonClass, buttonClass } from "@/components/ui/panel";
import { mayAbort, mayCancelPause, mayPauseAfterNode, mayResume, type Verdict } from "@/lib/domain/plan-controls";
import type { PlanView } from "./plan-types";

const dangerClass = "inline-flex items-center gap-1 rounded bg-red-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-red-800 disabled:cursor-not-allowed disabled:bg-slate-400";

interface Props {
  plan: PlanView;
  /** Null when the person may act; else why not (their role). */
  roleRefusal: string | null;
  busy: boolean;
  onPause(pause: boolean): void;
  onResume(): void;
  onAbort(reason: string): void;
}

export function RunControls({ plan, roleRefusal, busy, onPause, onResume, onAbort }: Props) {
  const [aborting, setAborting] = useState(false);
  const [reason, setReason] = useState("");
  const facts = { ...plan, nodes: plan.nodes };
  // Before launch only abort applies; pausing and resuming come with a running plan.
  const before = ["draft", "prechecked", "ready"].includes(plan.state);
  const asked = plan.pauseAfterNode && plan.state === "running";
  const pause = asked ? mayCancelPause(facts) : mayPauseAfterNode(facts, plan.steps);
  const abort = mayAbort(facts, plan.steps);
  const pauseNote = asked ? mayPauseAfterNode({ ...facts, pauseAfterNode: false }, plan.steps) : null;
  return (
    <section aria-label="Run controls" className={before ? "" : "rounded-lg border border-slate-200 bg-white p-3 shadow-sm dark:border-slate-800 dark:bg-slate-900"}>
      {roleRefusal && <p className="mb-2 text-xs italic text-slate-500" data-testid="control-role">{roleRefusal}</p>}
      {asked && (
        <p className="mb-2 rounded bg-amber-50 px-2 py-1 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-100" data-testid="pause-asked">
          Pause asked: {pauseNote?.ok ? pauseNote.note : "the plan pauses once the node in flight is finished."}
        </p>
      )}
      <div className="flex flex-wrap items-start gap-x-6 gap-y-3">
        {!before && <Control id="pause" label={asked ? "Cancel the pause" : "Pause after this node"} verdict={pause} roleRefusal={roleRefusal} busy={busy} onClick={() => onPause(!asked)} />}
        {!before && <Control id="resume" label="Resume" verdict={mayResume(facts, plan.steps)} roleRefusal={roleRefusal} busy={busy} onClick={onResume} primary />}
        <Control id="abort" label="Abort..." verdict={abort} roleRefusal={roleRefusal} busy={busy || aborting} onClick={() => setAborting(true)} />
      </div>
      {aborting && abort.ok && (
        <form className="mt-3 max-w-2xl space-y-2 rounded border border-red-300 bg-red-50 p-3 dark:border-red-800 dark:bg-red-950" aria-label="Abort the plan"
          onSubmit={(e) => { e.preventDefault(); onAbort(reason.trim()); setAborting(false); setReason(""); }}>
          <label className={labelClass} htmlFor="abort-reason">Why abort? (recorded in the audit trail)</label>
          <textarea id="abort-reason" className={inputClass} rows={2} value={reason} onChange={(e) => setReason(e.target.value)} />
          <p className="text-xs text-red-900 dark:text-red-100">{abort.note}</p>
          <div className="flex gap-2">
            <button type="submit" className={dangerClass} disabled={!reason.trim()} title={reason.trim() ? undefined : "Say why first"}>Abort the plan</button>
            <button type="button" className={secondaryButtonClass} onClick={() => setAborting(false)}>Keep it going</button>
          </div>
        </form>
      )}
    </section>
  );
}

/** The caption says what the button does, or why it does not apply; a role refusal is said once above. */
function Control({ id, label, verdict, roleRefusal, busy, onClick, primary }: { id: string; label: string; verdict: Verdict; roleRefusal: string | null; busy: boolean; onClick(): void; primary?: boolean }) {
  return (
    <div className="min-w-[14rem] max-w-sm flex-1">
      <button type="button" className={primary ? buttonClass : secondaryButtonClass} disabled={!verdict.ok || roleRefusal !== null || busy} onClick={onClick} aria-describedby={`control-${id}`} title={roleRefusal ?? undefined}>{label}</button>
      <p id={`control-${id}`} className={`mt-1 text-xs ${verdict.ok ? "text-slate-600 dark:text-slate-400" : "italic text-slate-500"}`} data-testid={`control-${id}-note`}>{verdict.ok ? verdict.note : verdict.reason}</p>
    </div>
  );
}

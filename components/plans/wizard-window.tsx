"use client";
import { buttonClass } from "@/components/ui/panel";
import { formatTime } from "@/components/ui/format";
import type { PlanView } from "./plan-types";
import { WindowPanel } from "./window-panel";

export type WindowStatus = "not-needed" | "missing" | "requested" | "rejected" | "approved-later" | "open" | "closed";

export function windowStatus(plan: PlanView, now = Date.now()): WindowStatus {
  const w = plan.window;
  if (!plan.needsWindow) return "not-needed";
  if (!w || w.state === "cancelled") return "missing";
  if (w.state === "rejected") return "rejected";
  if (w.state !== "approved") return "requested";
  if (now < Date.parse(w.startsAt)) return "approved-later";
  return now < Date.parse(w.endsAt) ? "open" : "closed";
}

export function describeWindow(plan: PlanView, status = windowStatus(plan)): string {
  const w = plan.window;
  const span = w ? `${formatTime(w.startsAt)} to ${formatTime(w.endsAt)}` : "";
  switch (status) {
    case "not-needed": return "Not needed: a window is required only for offline in-place, remove/rebuild and downgrades [F2].";
    case "missing": return "Needed, not requested yet: this method takes the service down or wipes data [F2][R2].";
    case "requested": return `Requested for ${span}: waiting for an approver who is not ${w?.requestedBy}.`;
    case "rejected": return `Rejected by ${w?.decidedBy}${w?.decisionComment ? `: ${w.decisionComment}` : ""}. Request another window.`;
    case "approved-later": return `Approved by ${w?.decidedBy} for ${span}: the plan can be scheduled to start when it opens.`;
    case "open": return `Approved and open now (${span}).`;
    case "closed": return `The approved window (${span}) has closed: request a new one.`;
  }
}

/** Step 5: a maintenance window when the method needs one, approved by someone else. */
export function WizardWindow({ plan, onChange, onNext }: { plan: PlanView; onChange(): void; onNext(): void }) {
  const status = windowStatus(plan);
  return (
    <div className="space-y-4">
      <p className="text-sm" data-testid="wizard-window">{describeWindow(plan, status)}</p>
      {plan.needsWindow && <WindowPanel planId={plan.id} window={plan.window} canLaunch={false} onChange={onChange} />}
      <div className="border-t border-slate-200 pt-3">
        <button type="button" className={buttonClass} onClick={onNext}>Next: review</button>
        {status !== "not-needed" && status !== "open" && status !== "approved-later" && <p className="mt-2 text-xs text-slate-600">You can review the plan now; it launches only once the window is approved.</p>}
      </div>
    </div>
  );
}

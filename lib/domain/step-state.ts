// A Step's life: pending -> running -> succeeded | failed | skipped (observed already done).
// A pending step can be cancelled; a running one never is: it may be inside ks_upgrade.sh.

export const STEP_STATES = ["pending", "running", "succeeded", "failed", "skipped", "cancelled"] as const;
export type StepState = (typeof STEP_STATES)[number];

export type StepAction =
  | { type: "start" }
  | { type: "succeed" }
  | { type: "skip"; observed: string }
  | { type: "fail"; reason: string }
  | { type: "cancel" }
  | { type: "retry" };

export type StepTransition = { ok: true; state: StepState } | { ok: false; code: "invalid-transition"; message: string };

const NEXT: Record<StepState, Partial<Record<StepAction["type"], StepState>>> = {
  pending: { start: "running", cancel: "cancelled" },
  running: { succeed: "succeeded", fail: "failed", skip: "skipped" },
  failed: { retry: "pending" }, // a failure stays on record when the plan is aborted
  succeeded: {},
  skipped: {},
  cancelled: {},
};

export function transitionStep(state: StepState, action: StepAction): StepTransition {
  const next = NEXT[state][action.type];
  if (next) return { ok: true, state: next };
  const why = state === "running" && action.type === "cancel"
    ? "A running step is never cut short; let it finish or fail, then abort the plan."
    : `A ${state} step cannot ${action.type}.`;
  return { ok: false, code: "invalid-transition", message: why };
}

export function isStepDone(state: StepState): boolean {
  return state === "succeeded" || state === "skipped";
}

export interface StepStatus {
  key: string;
  dependsOn: readonly string[];
  state: StepState;
}

/**
 * Pending steps whose dependencies are all done. Nothing is runnable once any step has failed:
 * a node that does not come back halts the plan and untouched nodes stay untouched.
 */
export function nextRunnableSteps<S extends StepStatus>(steps: readonly S[]): S[] {
  if (steps.some((s) => s.state === "failed")) return [];
  const done = new Set(steps.filter((s) => isStepDone(s.state)).map((s) => s.key));
  return steps.filter((s) => s.state === "pending" && s.dependsOn.every((d) => done.has(d)));
}

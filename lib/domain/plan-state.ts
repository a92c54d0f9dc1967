// An UpgradePlan's life: draft -> prechecked -> ready (backup confirmed) -> running ->
// succeeded | failed | paused | aborted. Transitions return the new state or a refusal.

import { isPlanBlocked, type Precheck } from "./precheck";
import { isStepDone, type StepState } from "./step-state";

export { nextRunnableSteps, transitionStep, STEP_STATES, type StepAction, type StepState, type StepStatus } from "./step-state";

export const PLAN_STATES = ["draft", "prechecked", "ready", "running", "succeeded", "failed", "paused", "aborted"] as const;
export type PlanState = (typeof PLAN_STATES)[number];

export type PlanAction =
  | { type: "record-prechecks"; prechecks: readonly Precheck[] }
  | { type: "confirm-backups"; confirmed: readonly string[]; required: readonly string[] }
  | { type: "launch"; now: Date; prechecksAt: Date | null; maxPrecheckAgeMs: number }
  | { type: "pause" }
  | { type: "resume" }
  | { type: "retry" }
  | { type: "abort"; reason: string };

export type PlanRefusalCode = "invalid-transition" | "prechecks-failed" | "prechecks-stale" | "backup-missing" | "reason-required";

export type PlanTransition = { ok: true; state: PlanState; message: string } | { ok: false; code: PlanRefusalCode; message: string };

const ok = (state: PlanState, message: string): PlanTransition => ({ ok: true, state, message });
const no = (code: PlanRefusalCode, message: string): PlanTransition => ({ ok: false, code, message });

export function transitionPlan(state: PlanState, action: PlanAction): PlanTransition {
  const invalid = () => no("invalid-transition", `A ${state} plan cannot ${action.type.replace("-", " ")}.`);
  switch (action.type) {
    case "record-prechecks": {
      if (state !== "draft" && state !== "prechecked" && state !== "ready") return invalid();
      const block = isPlanBlocked(action.prechecks);
      // New failures demote a plan that was further along: what was proven no longer holds.
      if (block.blocked) return state === "draft" ? no("prechecks-failed", block.message) : ok("draft", block.message);
      return ok(state === "ready" ? "ready" : "prechecked", block.message);
    }
    case "confirm-backups": {
      if (state !== "prechecked" && state !== "ready") return state === "draft" ? no("invalid-transition", "Run the prechecks before confirming backups.") : invalid();
      const missing = action.required.filter((id) => !action.confirmed.includes(id));
      if (missing.length > 0) return no("backup-missing", `No backup with its key is confirmed for ${missing.join(", ")} [U4].`);
      return ok("ready", "Every appliance the plan touches has a confirmed backup with its key.");
    }
    case "launch": {
      if (state !== "ready") return state === "prechecked" ? no("backup-missing", "Confirm a backup with its key for every appliance before launching [U4].") : invalid();
      const age = action.prechecksAt ? action.now.getTime() - action.prechecksAt.getTime() : Infinity;
      if (!(age <= action.maxPrecheckAgeMs)) {
        return no("prechecks-stale", `The prechecks are older than ${Math.round(action.maxPrecheckAgeMs / 60_000)} minutes; run them again before launching.`);
      }
      return ok("running", "Launched.");
    }
    case "pause":
      return state === "running" ? ok("paused", "Paused: running steps finish, no new step starts.") : invalid();
    case "resume":
      return state === "paused" ? ok("running", "Resumed.") : invalid();
    case "retry":
      return state === "failed" ? ok("running", "Retrying from the failed step.") : invalid();
    case "abort":
      if (action.reason.trim() === "") return no("reason-required", "Say why the plan is aborted; the reason goes to the audit trail.");
      return state === "succeeded" || state === "aborted" ? invalid() : ok("aborted", `Aborted: ${action.reason}`);
  }
}

/** The plan state its steps imply; only running and paused plans follow their steps. */
export function derivePlanState(current: PlanState, steps: readonly { state: StepState }[]): PlanState {
  if (current !== "running" && current !== "paused") return current;
  if (steps.some((s) => s.state === "failed")) return "failed";
  if (steps.length > 0 && steps.every((s) => isStepDone(s.state))) return "succeeded";
  return current;
}

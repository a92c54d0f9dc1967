// Maintenance windows as rules: which methods need one, who may decide, whether an approval still
// covers a plan, and whether now is inside it. Dates come in; nothing reads the clock here.

export const METHODS_NEEDING_WINDOW: readonly string[] = ["offline-in-place", "remove-rebuild", "downgrade", "restore-previous"];

export interface WindowFacts {
  state: "requested" | "approved" | "rejected" | "cancelled";
  startsAt: Date;
  endsAt: Date;
  targetVersion: string;
  archiveIds: readonly string[];
  requestedById: string | null;
}

export interface PlanFacts {
  method: string;
  targetVersion: string;
  archiveIds: readonly string[];
}

export type WindowCheck = { ok: true } | { ok: false; code: "no-window" | "not-approved" | "not-open-yet" | "closed" | "pins-changed"; message: string };

export function needsWindow(method: string): boolean {
  return METHODS_NEEDING_WINDOW.includes(method);
}

export function validateWindowRequest(input: { startsAt: Date; endsAt: Date; now: Date }): string | null {
  if (!(input.endsAt > input.startsAt)) return "The window must end after it starts.";
  if (input.endsAt <= input.now) return "The window is already over: choose a window that ends in the future.";
  if (input.endsAt.getTime() - input.startsAt.getTime() > 7 * 24 * 3600_000) return "A window may last at most 7 days.";
  return null;
}

/** Four eyes: an approver decides a window someone else requested. */
export function canDecide(window: Pick<WindowFacts, "state" | "requestedById">, decider: { id: string; role: string }): { ok: true } | { ok: false; message: string } {
  if (window.state !== "requested") return { ok: false, message: `The window is ${window.state}; only a requested window can be decided.` };
  if (decider.role !== "approver" && decider.role !== "admin") return { ok: false, message: "Only an approver (or an admin) decides maintenance windows." };
  if (window.requestedById === decider.id) return { ok: false, message: "You requested this window: another approver must decide it." };
  return { ok: true };
}

function samePins(window: WindowFacts, plan: PlanFacts): boolean {
  const a = [...window.archiveIds].sort().join(",");
  const b = [...plan.archiveIds].sort().join(",");
  return window.targetVersion === plan.targetVersion && a === b;
}

/** May this plan start (or go on starting nodes) now? */
export function checkWindow(plan: PlanFacts, window: WindowFacts | null, now: Date): WindowCheck {
  if (!needsWindow(plan.method)) return { ok: true };
  if (!window) return { ok: false, code: "no-window", message: `The ${plan.method} method takes the service down or wipes data: it runs only inside an approved maintenance window. Request one for this plan.` };
  if (window.state !== "approved") return { ok: false, code: "not-approved", message: `The maintenance window is ${window.state}; it must be approved by an approver who did not request it.` };
  if (!samePins(window, plan)) return { ok: false, code: "pins-changed", message: "The plan's version or archives changed since the window was approved: the approval no longer covers it. Request a new window." };
  if (now < window.startsAt) return { ok: false, code: "not-open-yet", message: `The window opens at ${window.startsAt.toISOString()}; the plan can be scheduled to start then.` };
  if (now >= window.endsAt) return { ok: false, code: "closed", message: `The window closed at ${window.endsAt.toISOString()}: no new step starts. Request a new window to go on.` };
  return { ok: true };
}

/**
 * Which steps only run inside the window. Offline in-place prepares before it (checks, uploads to
 * every node) and needs the window only from the confirmation that clients are stopped on [M2][F6];
 * every other method that needs a window needs it for all its steps.
 */
export function windowGatedSteps(method: string, steps: readonly { key: string; kind: string; dependsOn: readonly string[] }[]): Set<string> {
  if (!needsWindow(method)) return new Set();
  const gate = method === "offline-in-place" ? steps.find((s) => s.kind === "operator-confirm" && s.key.includes("clients-stopped")) : undefined;
  if (!gate) return new Set(steps.map((s) => s.key));
  const gated = new Set([gate.key]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const s of steps) {
      if (!gated.has(s.key) && s.dependsOn.some((d) => gated.has(d))) {
        gated.add(s.key);
        grew = true;
      }
    }
  }
  return gated;
}

/** Offline in-place may start its prepare phase before its window opens. */
export function canPrepareBeforeWindow(method: string): boolean {
  return method === "offline-in-place";
}

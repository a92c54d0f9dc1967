// The baseline of benchmark 3: the fastest any orchestrator could finish a set of compiled plans
// against the simulator. A step costs what the simulator makes it last (the firmware script, the
// reboot, services starting); everything else (SSH round trips, uploads of a small archive, the
// console's own bookkeeping) costs nothing here, so the orchestrator's overhead is what is left.
import type { StepKind } from "@/lib/domain/plan-step";

/** The simulator's durations in simulated seconds (simulator/config.ts defaults). */
export interface SimulatedDurations {
  upgradeSeconds: number;
  rebootSeconds: number;
  serviceStartSeconds: number;
  backupSeconds: number;
}

export const SIMULATOR_DEFAULT_DURATIONS: SimulatedDurations = { upgradeSeconds: 600, rebootSeconds: 120, serviceStartSeconds: 30, backupSeconds: 20 };

export interface PlanStepShape {
  key: string;
  kind: StepKind | string;
  dependsOn: string[];
  /** "skipped" steps (a backup confirmed before launch) take no simulated time. */
  skipped?: boolean;
}

/**
 * Real seconds a step of `kind` must take at `timeScale`. The REST API answers a third of the way
 * through the services' start (the API gateway first), which ends the wait for the node's return;
 * keysecure runs at the end of it, which the postcheck needs.
 */
export function simulatedStepSeconds(kind: string, d: SimulatedDurations, timeScale: number): number {
  const sim: Partial<Record<string, number>> = {
    "run-upgrade": d.upgradeSeconds,
    "run-downgrade": d.upgradeSeconds / 2,
    "wait-return": d.rebootSeconds + d.serviceStartSeconds / 3,
    postcheck: (d.serviceStartSeconds * 2) / 3,
    backup: d.backupSeconds,
  };
  return (sim[kind] ?? 0) * timeScale;
}

/** The longest path through one plan's step graph, each step weighted by `cost`. Throws on a cycle or an unknown dependency. */
export function longestPathSeconds(steps: readonly PlanStepShape[], cost: (s: PlanStepShape) => number): number {
  const byKey = new Map(steps.map((s) => [s.key, s]));
  const finish = new Map<string, number>();
  const visiting = new Set<string>();
  const finishOf = (key: string): number => {
    const known = finish.get(key);
    if (known !== undefined) return known;
    const step = byKey.get(key);
    if (!step) throw new Error(`step ${key} is depended on but is not in the plan`);
    if (visiting.has(key)) throw new Error(`the steps' dependencies form a cycle through ${key}`);
    visiting.add(key);
    const start = Math.max(0, ...step.dependsOn.map(finishOf));
    visiting.delete(key);
    const end = start + cost(step);
    finish.set(key, end);
    return end;
  };
  return Math.max(0, ...steps.map((s) => finishOf(s.key)));
}

/** The critical path of plans launched together: the longest of their own, as they share nothing but the orchestrator. */
export function criticalPathSeconds(plans: readonly (readonly PlanStepShape[])[], d: SimulatedDurations, timeScale: number): number {
  const cost = (s: PlanStepShape) => (s.skipped ? 0 : simulatedStepSeconds(s.kind, d, timeScale));
  return Math.max(0, ...plans.map((steps) => longestPathSeconds(steps, cost)));
}

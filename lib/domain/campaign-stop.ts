// "Stop after the current node": what a running plan may still start once its campaign is
// aborted. A node whose firmware change has begun (script, reboot, cluster membership...) is
// finished: back, checked and cleaned up; a node not yet touched is left alone, archive uploads
// included. Offline in-place and remove/rebuild take the whole cluster down together: once that
// has begun, stopping between nodes would leave it unserved, so the plan runs to its end [F10][R11].

/** Steps that change a node (as opposed to observing it or copying a file to it). */
export const NODE_CHANGING_STEP_KINDS: ReadonlySet<string> = new Set([
  "run-upgrade", "run-downgrade", "reboot", "disable-rest", "remove-node", "delete-cluster", "create-cluster", "join-cluster", "factory-reset", "restore-backup",
]);

const WHOLE_CLUSTER_METHODS: ReadonlySet<string> = new Set(["offline-in-place", "remove-rebuild"]);

export interface StopStep {
  key: string;
  kind: string;
  applianceId: string | null;
  hop: number;
  state: string;
  /** Claims so far: a step put back to pending after a start has begun all the same. */
  attempts?: number;
}

export interface StopRule {
  /** Keys of steps that may still start. */
  allowed: Set<string>;
  /** Nodes being finished: their change began and is not complete. */
  finishing: string[];
  /** Nodes with no change begun: they stay as they are. */
  untouched: string[];
}

const begun = (s: StopStep) => (s.state !== "pending" && s.state !== "cancelled") || (s.attempts ?? 0) > 0;
const done = (s: StopStep) => s.state === "succeeded" || s.state === "skipped";

export function stepsAllowedWhenStopping(method: string, steps: readonly StopStep[]): StopRule {
  const nodes = [...new Set(steps.map((s) => s.applianceId).filter((a): a is string => a !== null))];
  const changing = steps.filter((s) => NODE_CHANGING_STEP_KINDS.has(s.kind));
  if (WHOLE_CLUSTER_METHODS.has(method)) {
    const started = changing.some(begun);
    return { allowed: new Set(started ? steps.map((s) => s.key) : []), finishing: started ? nodes : [], untouched: started ? [] : nodes };
  }
  // Node by node: a (node, hop) is in flight from its first change until all its steps are done.
  const unit = (s: StopStep) => `${s.applianceId}#${s.hop}`;
  const inFlight = new Set(changing.filter((s) => s.applianceId && begun(s)).map(unit));
  for (const u of [...inFlight]) if (steps.filter((s) => unit(s) === u).every(done)) inFlight.delete(u);
  const allowed = new Set(steps.filter((s) => s.applianceId && inFlight.has(unit(s))).map((s) => s.key));
  const finishing = nodes.filter((n) => [...inFlight].some((u) => u.startsWith(`${n}#`)));
  const changed = new Set(changing.filter((s) => s.applianceId && begun(s)).map((s) => s.applianceId!));
  return { allowed, finishing, untouched: nodes.filter((n) => !changed.has(n)) };
}

// The plan room's lanes: one per node in the plan's order (and one for the steps of the whole
// plan), each started step placed on a time axis shared by every lane, and the step each node is
// at. Pure, so every viewer draws the same picture from the same server state.
import { NODE_CHANGING_STEP_KINDS } from "./campaign-stop";

export interface LaneStepInput {
  key: string;
  kind: string;
  title: string;
  state: string;
  applianceId: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  attempts: number;
}

export interface LaneNode { applianceId: string; name: string }

/** untouched: no change begun on the node (uploads may have run); in-progress: changed, not finished. */
export type LaneState = "running" | "waiting" | "failed" | "done" | "cancelled" | "in-progress" | "untouched";

export interface Segment { key: string; title: string; state: string; startMs: number; endMs: number }

export interface Lane<S extends LaneStepInput = LaneStepInput> {
  id: string;
  applianceId: string | null;
  name: string;
  state: LaneState;
  steps: S[];
  segments: Segment[];
  /** The step the node is at: running, waiting for a person, failed, or the next one to start. */
  current: { step: S; phase: "now" | "waiting" | "failed" | "next" } | null;
}

export interface LanesView<S extends LaneStepInput> {
  lanes: Lane<S>[];
  /** The time axis: from the first start to now (while the plan runs) or to the last finish. */
  axis: { startMs: number; endMs: number } | null;
}

const DONE = new Set(["succeeded", "skipped"]);
const time = (iso: string | null) => (iso ? new Date(iso).getTime() : null);

export function laneState(steps: readonly LaneStepInput[]): LaneState {
  const has = (state: string) => steps.some((s) => s.state === state);
  if (has("failed")) return "failed";
  if (has("running")) return "running";
  if (has("waiting")) return "waiting";
  if (steps.every((s) => DONE.has(s.state))) return "done";
  if (steps.every((s) => DONE.has(s.state) || s.state === "cancelled")) return "cancelled";
  const changed = steps.some((s) => NODE_CHANGING_STEP_KINDS.has(s.kind) && (s.state !== "pending" || s.attempts > 0));
  return changed ? "in-progress" : "untouched";
}

function currentStep<S extends LaneStepInput>(steps: readonly S[]): Lane<S>["current"] {
  const find = (state: string) => steps.find((s) => s.state === state);
  const running = find("running");
  if (running) return { step: running, phase: "now" };
  const waiting = find("waiting");
  if (waiting) return { step: waiting, phase: "waiting" };
  const failed = find("failed");
  if (failed) return { step: failed, phase: "failed" };
  const next = find("pending");
  return next ? { step: next, phase: "next" } : null;
}

/** `live`: the plan is running, so running steps and the axis reach up to `nowMs`. */
export function buildLanes<S extends LaneStepInput>(nodes: readonly LaneNode[], steps: readonly S[], nowMs: number, live: boolean, planLaneName = "Whole plan"): LanesView<S> {
  const groups: { id: string; applianceId: string | null; name: string; steps: S[] }[] = [];
  const planSteps = steps.filter((s) => s.applianceId === null);
  if (planSteps.length > 0) groups.push({ id: "plan", applianceId: null, name: planLaneName, steps: planSteps });
  for (const n of nodes) groups.push({ id: n.applianceId, applianceId: n.applianceId, name: n.name, steps: steps.filter((s) => s.applianceId === n.applianceId) });
  // A step on an appliance the node list does not name (it should not happen) still gets a lane.
  const named = new Set(nodes.map((n) => n.applianceId));
  for (const id of new Set(steps.map((s) => s.applianceId).filter((a): a is string => a !== null && !named.has(a)))) {
    groups.push({ id, applianceId: id, name: id.slice(0, 8), steps: steps.filter((s) => s.applianceId === id) });
  }

  let startMs = Infinity;
  let endMs = -Infinity;
  const lanes = groups.map((g): Lane<S> => {
    const segments: Segment[] = [];
    for (const s of g.steps) {
      const start = time(s.startedAt);
      if (start === null) continue;
      const open = s.state === "running" || s.state === "waiting";
      const end = time(s.finishedAt) ?? (open && live ? Math.max(nowMs, start) : start);
      segments.push({ key: s.key, title: s.title, state: s.state, startMs: start, endMs: end });
      startMs = Math.min(startMs, start);
      endMs = Math.max(endMs, end);
    }
    return { ...g, state: laneState(g.steps), segments, current: currentStep(g.steps) };
  });
  if (!Number.isFinite(startMs)) return { lanes, axis: null };
  if (live) endMs = Math.max(endMs, nowMs);
  return { lanes, axis: { startMs, endMs: Math.max(endMs, startMs + 1_000) } };
}

const TICK_STEPS_MS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14_400].map((s) => s * 1000);

/** Offsets (ms from the axis start) of at most `max` round ticks across a span. */
export function axisTicks(spanMs: number, max = 6): number[] {
  const step = TICK_STEPS_MS.find((t) => spanMs / t <= max) ?? Math.ceil(spanMs / max / 3_600_000) * 3_600_000;
  const ticks: number[] = [];
  for (let t = 0; t <= spanMs; t += step) ticks.push(t);
  return ticks;
}

/** Where a segment sits on the axis, in percent; never thinner than `minPct` so a 1 s step still shows. */
export function segmentBox(seg: Pick<Segment, "startMs" | "endMs">, axis: { startMs: number; endMs: number }, minPct = 0.6): { leftPct: number; widthPct: number } {
  const span = axis.endMs - axis.startMs;
  const left = ((seg.startMs - axis.startMs) / span) * 100;
  const width = Math.max(minPct, ((seg.endMs - seg.startMs) / span) * 100);
  return { leftPct: Math.min(left, 100 - minPct), widthPct: Math.min(width, 100 - Math.min(left, 100 - minPct)) };
}

// How long a compiled plan takes and how long clients go without service: a schedule of the
// step graph with typical durations, then the time during which no node serves.

import type { Step, StepKind } from "./plan-step";
import { topologicalOrder } from "./step-graph";
import type { PlanMethod } from "./upgrade-path-types";

/** Typical durations in seconds [A]; the vendor only says "10 minutes or more" per node [O2]. */
export const TYPICAL_STEP_SECONDS: Record<StepKind, number> = {
  precheck: 30, backup: 300, "upload-archive": 0, "verify-upload": 60, "disk-check": 5,
  "run-upgrade": 900, "run-downgrade": 900, reboot: 60, "wait-return": 300, postcheck: 30, cleanup: 5,
  "operator-confirm": 0, "disable-rest": 15, "enable-rest": 15,
  "remove-node": 60, "delete-cluster": 30, "create-cluster": 120, "join-cluster": 300,
  "factory-reset": 300, "restore-backup": 600,
};

/** A real 5.1 GiB archive copied at 36 MB/s [C]. */
export const TYPICAL_UPLOAD_BYTES_PER_SECOND = 36_000_000;
/** [O3] the first node of an online upgrade locks the shared database for under 30 s. */
const DATABASE_LOCK_SECONDS = 30;

export interface DowntimeEstimate {
  totalSeconds: number;
  /** Time during which no node serves clients. */
  clientOutageSeconds: number;
  /** Time during which the cluster serves but may answer errors or slowly [O3][O8]. */
  degradedSeconds: number;
  nodeOutageSeconds: Record<string, number>;
  message: string;
}

export function estimateDowntime(
  plan: { method: PlanMethod; steps: readonly Step[] },
  model: { seconds?: Partial<Record<StepKind, number>>; uploadBytesPerSecond?: number } = {},
): DowntimeEstimate {
  const rate = model.uploadBytesPerSecond ?? TYPICAL_UPLOAD_BYTES_PER_SECOND;
  const duration = (s: Step) =>
    s.kind === "upload-archive" ? Math.ceil((s.archiveSizeBytes ?? 0) / rate) : model.seconds?.[s.kind] ?? TYPICAL_STEP_SECONDS[s.kind];
  const byKey = new Map(plan.steps.map((s) => [s.key, s]));
  const start = new Map<string, number>();
  const end = new Map<string, number>();
  for (const key of topologicalOrder(plan.steps)) {
    const step = byKey.get(key);
    if (!step) continue;
    const t = Math.max(0, ...step.dependsOn.map((d) => end.get(d) ?? 0));
    start.set(key, t);
    end.set(key, t + duration(step));
  }
  const at = (key: string | undefined, m: Map<string, number>) => (key ? m.get(key) : undefined);
  const nodes = [...new Set(plan.steps.flatMap((s) => (s.applianceId ? [s.applianceId] : [])))];
  const nodeDown = new Map<string, [number, number][]>(nodes.map((n) => [n, []]));
  for (const s of plan.steps) {
    if ((s.kind !== "run-upgrade" && s.kind !== "run-downgrade") || !s.applianceId) continue;
    const back = plan.steps.find((w) => w.kind === "wait-return" && w.applianceId === s.applianceId && w.hop === s.hop);
    const from = start.get(s.key);
    const to = at(back?.key, end);
    if (from !== undefined && to !== undefined) nodeDown.get(s.applianceId)?.push([from, to]);
  }
  const windows = clusterWindows(plan.steps, start, end);
  const outage = measure(allDown([...nodeDown.values()], windows));
  const runs = plan.steps.filter((s) => s.kind === "run-upgrade").map((s) => s.hop);
  const degraded = plan.method === "online-rolling" && nodes.length > 1 ? DATABASE_LOCK_SECONDS * new Set(runs).size : 0;
  const total = Math.max(0, ...end.values());
  const nodeOutageSeconds = Object.fromEntries([...nodeDown].map(([n, spans]) => [n, measure(spans)]));
  return {
    totalSeconds: total, clientOutageSeconds: outage, degradedSeconds: degraded, nodeOutageSeconds,
    message: `About ${minutes(total)} in all, ${minutes(outage)} without service${degraded ? `, up to ${degraded} s of database locks` : ""}; not counting the time people take to confirm.`,
  };
}

/** Whole-cluster outages that are not a node being down: REST disabled, or clients blocked. */
function clusterWindows(steps: readonly Step[], start: Map<string, number>, end: Map<string, number>): [number, number][] {
  const windows: [number, number][] = [];
  for (const hop of new Set(steps.map((s) => s.hop))) {
    const off = steps.filter((s) => s.kind === "disable-rest" && s.hop === hop).map((s) => start.get(s.key) ?? Infinity);
    const on = steps.filter((s) => s.kind === "enable-rest" && s.hop === hop).map((s) => end.get(s.key) ?? -Infinity);
    if (off.length && on.length) windows.push([Math.min(...off), Math.max(...on)]);
  }
  // The tags are the remove/rebuild compiler's operator confirmations.
  const blocked = steps.find((s) => s.key.includes(":clients-blocked"));
  const restored = steps.find((s) => s.key.includes(":clients-restored"));
  const from = blocked ? end.get(blocked.key) : undefined;
  const to = restored ? start.get(restored.key) : undefined;
  if (from !== undefined && to !== undefined) windows.push([from, to]);
  return windows;
}

/** Time when every node is down at once, plus the cluster-wide windows. */
function allDown(perNode: [number, number][][], windows: [number, number][]): [number, number][] {
  const points = [...new Set(perNode.flat(2).concat(windows.flat()))].sort((a, b) => a - b);
  const spans: [number, number][] = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const a = points[i] ?? 0;
    const b = points[i + 1] ?? 0;
    const mid = (a + b) / 2;
    const inside = (s: [number, number][]) => s.some(([x, y]) => x <= mid && mid < y);
    if (windows.some(([x, y]) => x <= mid && mid < y) || (perNode.length > 0 && perNode.every(inside))) spans.push([a, b]);
  }
  return spans;
}

function measure(spans: [number, number][]): number {
  const sorted = [...spans].sort((a, b) => a[0] - b[0]);
  let total = 0;
  let reach = -Infinity;
  for (const [a, b] of sorted) {
    if (b <= reach) continue;
    total += b - Math.max(a, reach);
    reach = b;
  }
  return total;
}

function minutes(seconds: number): string {
  return seconds < 120 ? `${Math.round(seconds)} s` : `${Math.round(seconds / 60)} min`;
}

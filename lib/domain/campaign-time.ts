// How long a campaign has left: per remaining wave, its targets packed into `concurrency` lanes
// (longest first), each taking its node count times the seconds one node took so far in this
// campaign (or a default before any finished), plus the soak. People's time (approvals, manual
// advance) and archive copies are not counted; the basis says so.

import { ACTIVE_TARGET_STATES, FINAL_CAMPAIGN_STATES, WAITING_TARGET_STATES, type CampaignState, type TargetState, type WaveState } from "./campaign-state";

/** One node's upgrade, backup to postcheck, before the campaign has measured its own [A]. */
export const DEFAULT_SECONDS_PER_NODE = 20 * 60;

export interface TimeLeftInput {
  now: Date;
  state: CampaignState;
  currentWave: number;
  concurrency: number;
  soakSeconds: number;
  waves: readonly { index: number; state: WaveState; soakUntil: Date | null }[];
  targets: readonly { wave: number | null; state: TargetState; nodeCount: number; startedAt: Date | null; finishedAt: Date | null }[];
  defaultSecondsPerNode?: number;
}

export interface TimeLeft {
  seconds: number | null;
  secondsPerNode: number;
  basis: string;
}

export function estimateTimeLeft(input: TimeLeftInput): TimeLeft {
  const measured = input.targets.filter((t) => (t.state === "soaking" || t.state === "succeeded") && t.startedAt && t.finishedAt && t.nodeCount > 0);
  const perNode = measured.length
    ? measured.reduce((sum, t) => sum + (t.finishedAt!.getTime() - t.startedAt!.getTime()) / 1000 / t.nodeCount, 0) / measured.length
    : (input.defaultSecondsPerNode ?? DEFAULT_SECONDS_PER_NODE);
  const basis = `${measured.length ? `${Math.round(perNode)} s per node as measured on ${measured.length} finished target(s)` : `${Math.round(perNode)} s per node (nothing measured yet)`}; approvals, manual advance and archive copies not counted`;
  if (FINAL_CAMPAIGN_STATES.includes(input.state)) return { seconds: 0, secondsPerNode: perNode, basis };
  let total = 0;
  for (const wave of input.waves) {
    if (wave.index < input.currentWave || wave.state === "done" || wave.state === "halted") continue;
    const inWave = input.targets.filter((t) => t.wave === wave.index);
    const running = inWave.filter((t) => ACTIVE_TARGET_STATES.includes(t.state)).map((t) => Math.max(0, t.nodeCount * perNode - elapsed(input.now, t.startedAt)));
    const waiting = inWave.filter((t) => WAITING_TARGET_STATES.includes(t.state)).map((t) => t.nodeCount * perNode);
    const soak = wave.state === "soaking" ? Math.max(0, ((wave.soakUntil?.getTime() ?? input.now.getTime()) - input.now.getTime()) / 1000) : input.soakSeconds;
    total += makespan(running, waiting, Math.max(1, input.concurrency)) + soak;
  }
  return { seconds: Math.round(total), secondsPerNode: perNode, basis };
}

/** Running targets hold their lanes; waiting ones go, longest first, to the least loaded lane. */
export function makespan(running: readonly number[], waiting: readonly number[], lanes: number): number {
  const load = Array.from({ length: lanes }, (_, i) => running[i] ?? 0);
  for (const extra of running.slice(lanes)) load[indexOfMin(load)]! += extra;
  for (const d of [...waiting].sort((a, b) => b - a)) load[indexOfMin(load)]! += d;
  return Math.max(0, ...load);
}

function indexOfMin(values: number[]): number {
  return values.reduce((best, v, i) => (v < values[best]! ? i : best), 0);
}

function elapsed(now: Date, since: Date | null): number {
  return since ? Math.max(0, (now.getTime() - since.getTime()) / 1000) : 0;
}

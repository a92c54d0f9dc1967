// A Campaign's life: draft -> running <-> paused; running/paused -> halted (the brake) | aborted |
// succeeded | failed. Its waves go pending -> [awaiting-approval] -> running -> soaking -> done (or
// halted), one at a time; its targets pending -> starting -> running -> soaking -> succeeded, or
// failed / skipped / aborted, or unplannable from the start. Dates come in; nothing reads the clock.

import { checkBrake, type BrakeConfig } from "./campaign-brake";

export const CAMPAIGN_STATES = ["draft", "running", "paused", "halted", "aborted", "succeeded", "failed"] as const;
export type CampaignState = (typeof CAMPAIGN_STATES)[number];
export const WAVE_STATES = ["pending", "awaiting-approval", "running", "soaking", "done", "halted"] as const;
export type WaveState = (typeof WAVE_STATES)[number];
export const TARGET_STATES = ["unplannable", "pending", "distributing", "starting", "running", "soaking", "succeeded", "failed", "skipped", "aborted"] as const;
export type TargetState = (typeof TARGET_STATES)[number];

/** Not started yet (waiting for their wave, a slot or their archives). */
export const WAITING_TARGET_STATES: readonly TargetState[] = ["pending", "distributing"];
/** A plan is being made or runs for them. */
export const ACTIVE_TARGET_STATES: readonly TargetState[] = ["starting", "running"];
export const FINAL_TARGET_STATES: readonly TargetState[] = ["unplannable", "succeeded", "failed", "skipped", "aborted"];
export const FINAL_CAMPAIGN_STATES: readonly CampaignState[] = ["halted", "aborted", "succeeded", "failed"];

export type CampaignControl =
  | { type: "launch"; plannableTargets: number }
  | { type: "pause" }
  | { type: "resume" }
  | { type: "abort"; reason: string };

export type CampaignTransition = { ok: true; state: CampaignState } | { ok: false; code: "invalid-transition" | "nothing-to-do" | "reason-required"; message: string };

export function transitionCampaign(state: CampaignState, action: CampaignControl): CampaignTransition {
  const no = (message: string): CampaignTransition => ({ ok: false, code: "invalid-transition", message });
  switch (action.type) {
    case "launch":
      if (state !== "draft") return no(`The campaign is ${state}; only a draft is launched.`);
      if (action.plannableTargets === 0) return { ok: false, code: "nothing-to-do", message: "No target of this campaign can be planned; read each target's reason, fix what it names, and create the campaign again." };
      return { ok: true, state: "running" };
    case "pause":
      return state === "running" ? { ok: true, state: "paused" } : no(`The campaign is ${state}; only a running campaign pauses.`);
    case "resume":
      if (state === "halted") return no("The brake halted this campaign: read the failures, fix their causes, then create a new campaign over the same selection (targets already on the target version are skipped).");
      return state === "paused" ? { ok: true, state: "running" } : no(`The campaign is ${state}; only a paused campaign resumes.`);
    case "abort":
      if (action.reason.trim() === "") return { ok: false, code: "reason-required", message: "Say why the campaign is aborted; the reason goes to the audit trail." };
      if (state === "aborted" || state === "succeeded" || state === "failed") return no(`The campaign is already ${state}.`);
      return { ok: true, state: "aborted" };
  }
}

export interface DriverConfig {
  concurrency: number;
  soakSeconds: number;
  brake: BrakeConfig;
  approvalBeforeEachWave: boolean;
  autoAdvance: boolean;
}

export interface DriverSnapshot {
  state: CampaignState;
  targetVersion: string;
  currentWave: number;
  now: Date;
  config: DriverConfig;
  distributionEnabled: boolean;
  waves: readonly { index: number; name: string; canary: boolean; state: WaveState; approved: boolean; soakUntil: Date | null }[];
  targets: readonly { id: string; name: string; wave: number | null; state: TargetState; reason: string | null; distributed: boolean }[];
  /** When the soaking targets' health was last checked (null: not yet in this soak). */
  lastHealthCheckAt: Date | null;
  healthCheckEveryMs: number;
}

export type DriverStep =
  | { kind: "halt"; wave: number; reason: string }
  | { kind: "wave-state"; wave: number; from: WaveState; to: WaveState; reason: string | null; soakUntil?: Date }
  | { kind: "start-targets"; wave: number; targetIds: string[] }
  | { kind: "check-health"; wave: number; targetIds: string[]; final: boolean }
  | { kind: "next-wave"; from: number; to: number }
  | { kind: "finish"; state: "succeeded" | "failed"; reason: string }
  | { kind: "wait"; reason: string };

/** The one next thing the campaign driver does; it applies it and asks again until told to wait. */
export function nextDriverStep(s: DriverSnapshot): DriverStep {
  if (s.state !== "running" && s.state !== "paused") return { kind: "wait", reason: `The campaign is ${s.state}.` };
  const wave = s.waves.find((w) => w.index === s.currentWave);
  if (!wave) return finish(s);
  const inWave = s.targets.filter((t) => t.wave === wave.index);
  if (wave.state === "running" || wave.state === "soaking") {
    const failed = inWave.filter((t) => t.state === "failed").map((t) => ({ name: t.name, reason: t.reason }));
    const brake = checkBrake({ name: wave.name, canary: wave.canary, size: inWave.length, failed }, s.config.brake);
    if (brake.tripped) return { kind: "halt", wave: wave.index, reason: brake.reason };
  }
  if (s.state === "paused") return { kind: "wait", reason: "Paused: nothing new starts; running targets go on to their end." };
  const waveState = (to: WaveState, reason: string | null, soakUntil?: Date): DriverStep => ({ kind: "wave-state", wave: wave.index, from: wave.state, to, reason, soakUntil });
  switch (wave.state) {
    case "pending":
      if (s.config.approvalBeforeEachWave && !wave.approved) return waveState("awaiting-approval", `${wave.name} waits for an approver other than the campaign's creator.`);
      return waveState("running", null);
    case "awaiting-approval":
      return wave.approved ? waveState("running", null) : { kind: "wait", reason: `${wave.name} waits for an approver other than the campaign's creator.` };
    case "running": {
      const active = inWave.filter((t) => ACTIVE_TARGET_STATES.includes(t.state)).length;
      const waiting = inWave.filter((t) => WAITING_TARGET_STATES.includes(t.state));
      const startable = waiting.filter((t) => t.distributed || !s.distributionEnabled).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      const free = s.config.concurrency - active;
      if (free > 0 && startable.length > 0) return { kind: "start-targets", wave: wave.index, targetIds: startable.slice(0, free).map((t) => t.id) };
      if (active === 0 && waiting.length === 0) return waveState("soaking", null, new Date(s.now.getTime() + s.config.soakSeconds * 1000));
      const copying = waiting.length - startable.length;
      return { kind: "wait", reason: `${wave.name}: ${active} running, ${waiting.length} waiting${copying ? ` (${copying} for their archives to be copied)` : ""}.` };
    }
    case "soaking": {
      const soaking = inWave.filter((t) => t.state === "soaking").map((t) => t.id);
      if (soaking.length === 0) return waveState("done", null);
      const until = wave.soakUntil ?? s.now;
      if (s.now >= until) return { kind: "check-health", wave: wave.index, targetIds: soaking, final: true };
      if (!s.lastHealthCheckAt || s.now.getTime() - s.lastHealthCheckAt.getTime() >= s.healthCheckEveryMs) {
        return { kind: "check-health", wave: wave.index, targetIds: soaking, final: false };
      }
      return { kind: "wait", reason: `${wave.name} soaks until ${until.toISOString()}: its upgraded targets must stay healthy.` };
    }
    case "done": {
      const next = s.waves.find((w) => w.index === wave.index + 1);
      if (!next) return finish(s);
      if (s.config.autoAdvance) return { kind: "next-wave", from: wave.index, to: next.index };
      return { kind: "wait", reason: `${wave.name} is done and soaked; an operator advances to ${next.name}.` };
    }
    case "halted":
      return { kind: "wait", reason: `${wave.name} halted.` };
  }
}

function finish(s: DriverSnapshot): DriverStep {
  const planned = s.targets.filter((t) => t.wave !== null);
  const failed = planned.filter((t) => t.state !== "succeeded");
  const untouched = s.targets.filter((t) => t.state === "unplannable").length;
  const note = untouched ? ` ${untouched} target(s) could not be planned and were left untouched.` : "";
  if (failed.length === 0) return { kind: "finish", state: "succeeded", reason: `All ${planned.length} planned target(s) run ${s.targetVersion}.${note}` };
  const who = failed.map((t) => `${t.name} ${t.state}${t.reason ? ` (${t.reason})` : ""}`).join("; ");
  return { kind: "finish", state: "failed", reason: `${failed.length} of ${planned.length} planned target(s) did not upgrade: ${who}.${note}` };
}

/** What a target becomes when its plan changes state; null: nothing to record yet. */
export function targetStateForPlan(
  plan: { state: string; stateReason: string | null; scheduled: boolean; pauseAfterNode?: boolean },
  campaignState: CampaignState,
): { state: TargetState; reason: string | null } | null {
  const live = campaignState === "running" || campaignState === "paused";
  const why = plan.stateReason ? `: ${plan.stateReason}` : "";
  switch (plan.state) {
    case "running":
      return { state: "running", reason: null };
    case "succeeded":
      return { state: live ? "soaking" : "succeeded", reason: null };
    case "failed":
      return { state: "failed", reason: `The plan failed${why}` };
    case "aborted":
      return campaignState === "aborted" ? { state: "aborted", reason: `The plan was aborted${why}` } : { state: "failed", reason: `The plan was aborted${why}` };
    case "paused":
      // A prepared offline plan waits for its window: it is still on its way.
      if (plan.scheduled) return { state: "running", reason: plan.stateReason };
      if (campaignState === "aborted") return { state: "aborted", reason: plan.stateReason };
      // An operator paused it after a node on purpose (plan room): still on its way, not a failure.
      if (plan.pauseAfterNode) return { state: "running", reason: plan.stateReason };
      return { state: "failed", reason: `The plan paused${why}. Resume it in the plan room; the campaign counts it as failed.` };
    default:
      // draft, prechecked, ready: not launched yet (a scheduled one waits for its window).
      return plan.scheduled ? { state: "running", reason: plan.stateReason } : null;
  }
}

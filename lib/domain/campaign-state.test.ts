import { describe, expect, it } from "vitest";
import { nextDriverStep, targetStateForPlan, transitionCampaign, type DriverSnapshot, type TargetState, type WaveState } from "./campaign-state";

const NOW = new Date("2026-01-01T12:00:00Z");
type T = DriverSnapshot["targets"][number];
const target = (id: string, wave: number | null, state: TargetState, over: Partial<T> = {}): T => ({ id, name: id, wave, state, reason: null, distributed: false, ...over });
const snap = (over: Partial<DriverSnapshot> & { waveStates?: WaveState[] } = {}): DriverSnapshot => {
  const { waveStates = ["running", "pending"], ...rest } = over;
  return {
    state: "running", targetVersion: "2.11.0+13003", currentWave: 0, now: NOW,
    config: { concurrency: 2, soakSeconds: 60, brake: { maxFailures: 1, maxFailurePercent: 100 }, approvalBeforeEachWave: false, autoAdvance: true },
    distributionEnabled: false,
    waves: waveStates.map((state, index) => ({ index, name: index === 0 ? "canary" : `wave ${index}`, canary: index === 0, state, approved: false, soakUntil: null })),
    targets: [target("c1", 0, "pending"), target("w1", 1, "pending"), target("w2", 1, "pending"), target("w3", 1, "pending")],
    lastHealthCheckAt: null, healthCheckEveryMs: 30_000, ...rest,
  };
};

describe("transitionCampaign", () => {
  const cases: [string, Parameters<typeof transitionCampaign>[0], Parameters<typeof transitionCampaign>[1], string][] = [
    ["a draft launches", "draft", { type: "launch", plannableTargets: 3 }, "running"],
    ["nothing plannable: no launch", "draft", { type: "launch", plannableTargets: 0 }, "nothing-to-do"],
    ["running launches no more", "running", { type: "launch", plannableTargets: 3 }, "invalid-transition"],
    ["running pauses", "running", { type: "pause" }, "paused"],
    ["paused resumes", "paused", { type: "resume" }, "running"],
    ["a halted campaign does not resume", "halted", { type: "resume" }, "invalid-transition"],
    ["abort needs a reason", "running", { type: "abort", reason: " " }, "reason-required"],
    ["a halted campaign can still be aborted", "halted", { type: "abort", reason: "stop the rest" }, "aborted"],
    ["a draft can be aborted", "draft", { type: "abort", reason: "not needed" }, "aborted"],
    ["a finished one cannot", "succeeded", { type: "abort", reason: "x" }, "invalid-transition"],
  ];
  it.each(cases)("%s", (_n, from, action, expected) => {
    const r = transitionCampaign(from, action);
    expect(r.ok ? r.state : r.code).toBe(expected);
  });
});

describe("nextDriverStep", () => {
  it("starts the current wave's waiting targets up to the concurrency, in name order", () => {
    expect(nextDriverStep(snap())).toEqual({ kind: "start-targets", wave: 0, targetIds: ["c1"] });
    const wave1 = snap({ currentWave: 1, waveStates: ["done", "running"], targets: [target("c1", 0, "succeeded"), target("w3", 1, "pending"), target("w1", 1, "pending"), target("w2", 1, "running")] });
    expect(nextDriverStep(wave1)).toEqual({ kind: "start-targets", wave: 1, targetIds: ["w1"] });
  });
  it("never exceeds the concurrency", () => {
    const full = snap({ currentWave: 1, waveStates: ["done", "running"], targets: [target("w1", 1, "running"), target("w2", 1, "starting"), target("w3", 1, "pending")] });
    expect(nextDriverStep(full)).toMatchObject({ kind: "wait", reason: "wave 1: 2 running, 1 waiting." });
  });
  it("waits for archives to be copied when distribution is on", () => {
    const s = snap({ distributionEnabled: true });
    expect(nextDriverStep(s)).toMatchObject({ kind: "wait", reason: expect.stringMatching(/1 for their archives/) });
    expect(nextDriverStep({ ...s, targets: [target("c1", 0, "distributing", { distributed: true })] })).toMatchObject({ kind: "start-targets", targetIds: ["c1"] });
  });
  it("any canary failure halts before the next wave", () => {
    const s = snap({ targets: [target("c1", 0, "failed", { reason: "ks_upgrade.sh failed" }), target("w1", 1, "pending")] });
    expect(nextDriverStep(s)).toMatchObject({ kind: "halt", wave: 0, reason: expect.stringMatching(/canary.*c1 \(ks_upgrade.sh failed\)/) });
  });
  it("the brake trips at its threshold, even mid-wave and while paused", () => {
    const one = snap({ currentWave: 1, waveStates: ["done", "running"], targets: [target("w1", 1, "failed"), target("w2", 1, "running"), target("w3", 1, "pending")] });
    expect(nextDriverStep(one).kind).toBe("start-targets");
    const two = snap({ state: "paused", currentWave: 1, waveStates: ["done", "running"], targets: [target("w1", 1, "failed"), target("w2", 1, "failed"), target("w3", 1, "pending")] });
    expect(nextDriverStep(two)).toMatchObject({ kind: "halt", wave: 1 });
  });
  it("paused: nothing new starts", () => {
    expect(nextDriverStep(snap({ state: "paused" }))).toMatchObject({ kind: "wait", reason: expect.stringMatching(/^Paused/) });
  });
  it("asks for an approval before a wave when configured, then runs it once approved", () => {
    const s = snap({ waveStates: ["pending", "pending"], config: { ...snap().config, approvalBeforeEachWave: true } });
    expect(nextDriverStep(s)).toMatchObject({ kind: "wave-state", from: "pending", to: "awaiting-approval" });
    const waiting = { ...s, waves: s.waves.map((w) => (w.index === 0 ? { ...w, state: "awaiting-approval" as const } : w)) };
    expect(nextDriverStep(waiting).kind).toBe("wait");
    const approved = { ...waiting, waves: waiting.waves.map((w) => (w.index === 0 ? { ...w, approved: true } : w)) };
    expect(nextDriverStep(approved)).toMatchObject({ kind: "wave-state", to: "running" });
  });
  it("soaks a finished wave, checks health at the end, then advances", () => {
    const finished = snap({ targets: [target("c1", 0, "soaking"), target("w1", 1, "pending")] });
    expect(nextDriverStep(finished)).toEqual({ kind: "wave-state", wave: 0, from: "running", to: "soaking", reason: null, soakUntil: new Date(NOW.getTime() + 60_000) });
    const soaking = (soakUntil: Date, last: Date | null) => ({ ...finished, lastHealthCheckAt: last, waves: finished.waves.map((w) => (w.index === 0 ? { ...w, state: "soaking" as const, soakUntil } : w)) });
    expect(nextDriverStep(soaking(new Date(NOW.getTime() + 30_000), null))).toMatchObject({ kind: "check-health", final: false });
    expect(nextDriverStep(soaking(new Date(NOW.getTime() + 30_000), NOW)).kind).toBe("wait");
    expect(nextDriverStep(soaking(NOW, NOW))).toMatchObject({ kind: "check-health", final: true, targetIds: ["c1"] });
    const soaked = { ...soaking(NOW, NOW), targets: [target("c1", 0, "succeeded"), target("w1", 1, "pending")] };
    expect(nextDriverStep(soaked)).toMatchObject({ kind: "wave-state", to: "done" });
    const done = snap({ waveStates: ["done", "pending"] });
    expect(nextDriverStep(done)).toEqual({ kind: "next-wave", from: 0, to: 1 });
    expect(nextDriverStep({ ...done, config: { ...done.config, autoAdvance: false } })).toMatchObject({ kind: "wait", reason: expect.stringMatching(/operator advances to wave 1/) });
  });
  it("a target unhealthy during the soak counts for the brake", () => {
    const s = snap({ waveStates: ["soaking", "pending"], targets: [target("c1", 0, "failed", { reason: "unhealthy during the soak" })] });
    expect(nextDriverStep(s).kind).toBe("halt");
  });
  it("ends succeeded when every planned target succeeded, failed otherwise, naming them", () => {
    const ok = snap({ currentWave: 1, waveStates: ["done", "done"], targets: [target("c1", 0, "succeeded"), target("w1", 1, "succeeded"), target("u1", null, "unplannable")] });
    expect(nextDriverStep(ok)).toMatchObject({ kind: "finish", state: "succeeded", reason: expect.stringMatching(/All 2 planned .* 1 target\(s\) could not be planned/) });
    const bad = snap({ currentWave: 1, waveStates: ["done", "done"], targets: [target("c1", 0, "succeeded"), target("w1", 1, "failed", { reason: "disk" })] });
    expect(nextDriverStep(bad)).toMatchObject({ kind: "finish", state: "failed", reason: expect.stringMatching(/1 of 2 .*w1 failed \(disk\)/) });
  });
});

describe("targetStateForPlan", () => {
  const cases: [string, { state: string; scheduled?: boolean; pauseAfterNode?: boolean }, Parameters<typeof targetStateForPlan>[1], string | null][] = [
    ["a running plan", { state: "running" }, "running", "running"],
    ["a succeeded plan soaks while the campaign runs", { state: "succeeded" }, "running", "soaking"],
    ["a succeeded plan of an aborted campaign is simply succeeded", { state: "succeeded" }, "aborted", "succeeded"],
    ["a failed plan", { state: "failed" }, "running", "failed"],
    ["a plan aborted by hand counts as a failure", { state: "aborted" }, "running", "failed"],
    ["a plan stopped by the campaign's abort", { state: "paused" }, "aborted", "aborted"],
    ["a plan paused for another reason counts as a failure", { state: "paused" }, "running", "failed"],
    ["a prepared plan waiting for its window is still on its way", { state: "paused", scheduled: true }, "running", "running"],
    ["a plan an operator paused after a node is still on its way", { state: "paused", pauseAfterNode: true }, "running", "running"],
    ["an unlaunched plan records nothing", { state: "ready" }, "running", null],
  ];
  it.each(cases)("%s", (_n, plan, campaign, expected) => {
    expect(targetStateForPlan({ state: plan.state, stateReason: "why", scheduled: plan.scheduled ?? false, pauseAfterNode: plan.pauseAfterNode ?? false }, campaign)?.state ?? null).toBe(expected);
  });
});

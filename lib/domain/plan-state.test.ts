import { describe, expect, it } from "vitest";
import type { Precheck } from "./precheck";
import {
  derivePlanState, nextRunnableSteps, transitionPlan, transitionStep,
  type PlanAction, type PlanState, type StepAction, type StepState, type StepStatus,
} from "./plan-state";

const check = (status: Precheck["status"]): Precheck => ({ id: "disk-space", status, summary: "s", evidence: "e", ruleIds: ["U7"] });
const NOW = new Date("2025-01-01T12:00:00Z");
const minutesAgo = (m: number) => new Date(NOW.getTime() - m * 60_000);
const launch = (prechecksAt: Date | null): PlanAction => ({ type: "launch", now: NOW, prechecksAt, maxPrecheckAgeMs: 30 * 60_000 });

describe("transitionPlan", () => {
  const cases: [string, PlanState, PlanAction, PlanState | string][] = [
    ["passing prechecks move a draft on", "draft", { type: "record-prechecks", prechecks: [check("pass"), check("warn")] }, "prechecked"],
    ["failing prechecks keep a draft a draft", "draft", { type: "record-prechecks", prechecks: [check("pass"), check("fail")] }, "prechecks-failed"],
    ["no prechecks prove nothing", "draft", { type: "record-prechecks", prechecks: [] }, "prechecks-failed"],
    ["new failures demote a ready plan", "ready", { type: "record-prechecks", prechecks: [check("fail")] }, "draft"],
    ["fresh passing prechecks keep a ready plan ready", "ready", { type: "record-prechecks", prechecks: [check("pass")] }, "ready"],
    ["prechecks cannot be recorded on a running plan", "running", { type: "record-prechecks", prechecks: [check("pass")] }, "invalid-transition"],
    ["[U4] ready needs a backup with its key for every node", "prechecked", { type: "confirm-backups", confirmed: ["n1", "n2"], required: ["n1", "n2"] }, "ready"],
    ["[U4] a node without a confirmed backup keeps the plan back", "prechecked", { type: "confirm-backups", confirmed: ["n1"], required: ["n1", "n2"] }, "backup-missing"],
    ["[U4] backups are confirmed after the prechecks", "draft", { type: "confirm-backups", confirmed: ["n1"], required: ["n1"] }, "invalid-transition"],
    ["[U4] a prechecked plan without backups cannot launch", "prechecked", launch(minutesAgo(1)), "backup-missing"],
    ["a ready plan with fresh prechecks launches", "ready", launch(minutesAgo(5)), "running"],
    ["stale prechecks must be taken again", "ready", launch(minutesAgo(45)), "prechecks-stale"],
    ["missing precheck time counts as stale", "ready", launch(null), "prechecks-stale"],
    ["a draft cannot launch", "draft", launch(minutesAgo(1)), "invalid-transition"],
    ["running pauses", "running", { type: "pause" }, "paused"],
    ["paused resumes", "paused", { type: "resume" }, "running"],
    ["a failed plan retries", "failed", { type: "retry" }, "running"],
    ["a running plan cannot resume", "running", { type: "resume" }, "invalid-transition"],
    ["abort needs a reason", "running", { type: "abort", reason: "  " }, "reason-required"],
    ["a paused plan aborts", "paused", { type: "abort", reason: "window closed" }, "aborted"],
    ["a failed plan aborts", "failed", { type: "abort", reason: "giving up" }, "aborted"],
    ["a finished plan does not abort", "succeeded", { type: "abort", reason: "x" }, "invalid-transition"],
    ["an aborted plan stays aborted", "aborted", { type: "resume" }, "invalid-transition"],
  ];
  it.each(cases)("%s", (_name, from, action, expected) => {
    const result = transitionPlan(from, action);
    expect(result.ok ? result.state : result.code).toBe(expected);
    expect(result.message.length).toBeGreaterThan(5);
  });
});

describe("derivePlanState", () => {
  const s = (...states: StepState[]) => states.map((state) => ({ state }));
  it.each([
    ["running", s("succeeded", "running", "pending"), "running"],
    ["running", s("succeeded", "skipped"), "succeeded"],
    ["running", s("succeeded", "failed", "pending"), "failed"],
    ["paused", s("succeeded", "pending"), "paused"],
    ["paused", s("succeeded", "succeeded"), "succeeded"],
    ["paused", s("failed"), "failed"],
    ["ready", s("pending"), "ready"],
    ["aborted", s("succeeded"), "aborted"],
    ["running", s(), "running"],
  ] as [PlanState, { state: StepState }[], PlanState][])("%s with %j -> %s", (current, steps, expected) => {
    expect(derivePlanState(current, steps)).toBe(expected);
  });
});

describe("transitionStep", () => {
  const cases: [StepState, StepAction, StepState | "refused"][] = [
    ["pending", { type: "start" }, "running"],
    ["running", { type: "succeed" }, "succeeded"],
    ["running", { type: "skip", observed: "already on 2.11.0" }, "skipped"],
    ["running", { type: "fail", reason: "exit 1" }, "failed"],
    ["failed", { type: "retry" }, "pending"],
    ["pending", { type: "cancel" }, "cancelled"],
    ["running", { type: "cancel" }, "refused"],
    ["succeeded", { type: "start" }, "refused"],
    ["skipped", { type: "retry" }, "refused"],
    ["pending", { type: "succeed" }, "refused"],
    ["failed", { type: "cancel" }, "refused"],
  ];
  it.each(cases)("%s + %j -> %s", (from, action, expected) => {
    const result = transitionStep(from, action);
    expect(result.ok ? result.state : "refused").toBe(expected);
  });
  it("explains that a running step is never cut short", () => {
    const result = transitionStep("running", { type: "cancel" });
    expect(!result.ok && result.message).toMatch(/never cut short/);
  });
});

describe("nextRunnableSteps", () => {
  const step = (key: string, state: StepState, ...dependsOn: string[]): StepStatus => ({ key, state, dependsOn });
  const keys = (steps: StepStatus[]) => nextRunnableSteps(steps).map((s) => s.key);
  it.each([
    ["roots are runnable", [step("a", "pending"), step("b", "pending", "a")], ["a"]],
    ["a step waits for all its dependencies", [step("a", "succeeded"), step("b", "running"), step("c", "pending", "a", "b")], []],
    ["skipped counts as done", [step("a", "skipped"), step("b", "pending", "a")], ["b"]],
    ["independent branches run in parallel", [step("p", "succeeded"), step("u1", "pending", "p"), step("u2", "pending", "p")], ["u1", "u2"]],
    ["a failure halts everything", [step("a", "failed"), step("b", "pending")], []],
    ["running and finished steps are not offered again", [step("a", "running"), step("b", "succeeded")], []],
    ["cancelled dependencies never unlock", [step("a", "cancelled"), step("b", "pending", "a")], []],
  ] as [string, StepStatus[], string[]][])("%s", (_name, steps, expected) => {
    expect(keys(steps)).toEqual(expected);
  });
});

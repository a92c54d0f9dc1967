import { describe, expect, it } from "vitest";
import { axisTicks, buildLanes, laneState, segmentBox, type LaneStepInput } from "./plan-lanes";

const T0 = Date.parse("2026-11-30T10:00:00Z");
const at = (s: number) => new Date(T0 + s * 1000).toISOString();
const step = (applianceId: string | null, kind: string, state: string, start?: number, end?: number, attempts = start === undefined ? 0 : 1): LaneStepInput => ({
  key: `${applianceId ?? "plan"}:${kind}`, kind, title: `${kind} ${applianceId ?? "plan"}`, state, applianceId,
  startedAt: start === undefined ? null : at(start), finishedAt: end === undefined ? null : at(end), attempts,
});
const NODES = [{ applianceId: "n1", name: "cm-1" }, { applianceId: "n2", name: "cm-2" }, { applianceId: "n3", name: "cm-3" }];

describe("laneState", () => {
  it.each([
    ["a failed step wins", ["succeeded", "failed", "pending"], "failed"],
    ["a running step", ["succeeded", "running", "pending"], "running"],
    ["a person is asked", ["succeeded", "waiting"], "waiting"],
    ["all done, skipped counts", ["succeeded", "skipped"], "done"],
    ["aborted before the end", ["succeeded", "cancelled"], "cancelled"],
  ])("%s", (_name, states, expected) => {
    expect(laneState(states.map((s, i) => step("n1", `k${i}`, s)))).toBe(expected);
  });
  it("[O7] an uploaded archive leaves a node untouched; a begun ks_upgrade.sh does not", () => {
    expect(laneState([step("n1", "upload-archive", "succeeded", 0, 2), step("n1", "run-upgrade", "pending")])).toBe("untouched");
    expect(laneState([step("n1", "run-upgrade", "succeeded", 0, 2), step("n1", "reboot", "pending")])).toBe("in-progress");
    // Put back to pending after a start: it has begun all the same.
    expect(laneState([step("n1", "run-upgrade", "pending", undefined, undefined, 1)])).toBe("in-progress");
  });
});

describe("buildLanes", () => {
  const steps = [
    step(null, "precheck", "succeeded", 0, 2),
    step("n1", "upload-archive", "succeeded", 2, 5), step("n1", "run-upgrade", "running", 6),
    step("n2", "upload-archive", "succeeded", 2, 6), step("n2", "run-upgrade", "pending"),
    step("n3", "upload-archive", "failed", 2, 4), step("n3", "run-upgrade", "pending"),
  ];
  it("one lane per node in the plan's order, after the whole plan's steps, each with its current step", () => {
    const view = buildLanes(NODES, steps, T0 + 10_000, true);
    expect(view.lanes.map((l) => [l.name, l.state, l.current?.phase, l.current?.step.kind])).toEqual([
      ["Whole plan", "done", undefined, undefined],
      ["cm-1", "running", "now", "run-upgrade"],
      ["cm-2", "untouched", "next", "run-upgrade"],
      ["cm-3", "failed", "failed", "upload-archive"],
    ]);
  });
  it("places started steps on one axis; a running step reaches now while the plan runs", () => {
    const view = buildLanes(NODES, steps, T0 + 10_000, true);
    expect(view.axis).toEqual({ startMs: T0, endMs: T0 + 10_000 });
    expect(view.lanes[1]!.segments.map((s) => [s.state, s.endMs - s.startMs])).toEqual([["succeeded", 3000], ["running", 4000]]);
    expect(view.lanes[2]!.segments).toHaveLength(1);
  });
  it("a plan that is not running ends its axis at its last finish", () => {
    const view = buildLanes(NODES, steps.map((s) => (s.state === "running" ? { ...s, state: "failed", finishedAt: at(8) } : s)), T0 + 99_000, false);
    expect(view.axis).toEqual({ startMs: T0, endMs: T0 + 8_000 });
  });
  it("no axis before anything started", () => {
    expect(buildLanes(NODES, [step("n1", "precheck", "pending")], T0, false).axis).toBeNull();
  });
});

describe("the axis", () => {
  it.each([
    [10_000, [0, 2000, 4000, 6000, 8000, 10_000]],
    [45_000, [0, 10_000, 20_000, 30_000, 40_000]],
    [5 * 60_000, [0, 60_000, 120_000, 180_000, 240_000, 300_000]],
  ])("ticks across %i ms", (span, ticks) => {
    expect(axisTicks(span)).toEqual(ticks);
  });
  it("a one-second step on an hour-long axis stays visible and inside the bar", () => {
    const axis = { startMs: 0, endMs: 3_600_000 };
    const box = segmentBox({ startMs: 3_599_999, endMs: 3_600_000 }, axis);
    expect(box.leftPct).toBeCloseTo(99.4);
    expect(box.widthPct).toBeCloseTo(0.6);
    expect(segmentBox({ startMs: 0, endMs: 1_800_000 }, axis)).toEqual({ leftPct: 0, widthPct: 50 });
  });
});

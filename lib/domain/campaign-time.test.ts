import { describe, expect, it } from "vitest";
import { estimateTimeLeft, makespan, type TimeLeftInput } from "./campaign-time";

const NOW = new Date("2026-01-01T12:00:00Z");
const ago = (s: number) => new Date(NOW.getTime() - s * 1000);
const base: TimeLeftInput = {
  now: NOW, state: "running", currentWave: 0, concurrency: 2, soakSeconds: 100,
  waves: [{ index: 0, state: "running", soakUntil: null }, { index: 1, state: "pending", soakUntil: null }],
  targets: [], defaultSecondsPerNode: 1000,
};

describe("makespan", () => {
  it("packs the longest first into the least loaded lane", () => {
    expect(makespan([], [3, 3, 2, 2, 2], 2)).toBe(7);
    expect(makespan([5], [1, 1], 2)).toBe(5);
    expect(makespan([], [], 3)).toBe(0);
  });
});

describe("estimateTimeLeft", () => {
  it("before anything finished: default per node, lanes and soaks of every remaining wave", () => {
    const r = estimateTimeLeft({ ...base, targets: [
      { wave: 0, state: "running", nodeCount: 1, startedAt: ago(400), finishedAt: null },
      { wave: 1, state: "pending", nodeCount: 3, startedAt: null, finishedAt: null },
      { wave: 1, state: "pending", nodeCount: 1, startedAt: null, finishedAt: null },
    ] });
    // wave 0: 600 left + 100 soak; wave 1: max(3000, 1000) + 100 soak.
    expect(r.seconds).toBe(3800);
    expect(r.basis).toMatch(/nothing measured yet/);
  });
  it("learns the seconds per node from finished targets and counts the soak still to go", () => {
    const r = estimateTimeLeft({ ...base, waves: [{ index: 0, state: "soaking", soakUntil: new Date(NOW.getTime() + 50_000) }, { index: 1, state: "pending", soakUntil: null }], targets: [
      { wave: 0, state: "soaking", nodeCount: 2, startedAt: ago(500), finishedAt: ago(100) },
      { wave: 1, state: "pending", nodeCount: 1, startedAt: null, finishedAt: null },
    ] });
    expect(r.secondsPerNode).toBe(200);
    expect(r.seconds).toBe(50 + 200 + 100);
  });
  it("is zero for a finished campaign", () => {
    expect(estimateTimeLeft({ ...base, state: "halted" }).seconds).toBe(0);
  });
});

import { describe, expect, it } from "vitest";
import { addSample, estimateTransfer, RATE_WINDOW_MS } from "./transfer";

const MiB = 1024 * 1024;

describe("estimateTransfer", () => {
  it.each([
    ["half way at 1 MiB/s since the start", { done: 10 * MiB, total: 20 * MiB, startedAt: 0, now: 10_000 }, { fraction: 0.5, rate: MiB, etaSeconds: 10 }],
    ["nothing moved yet", { done: 0, total: 20 * MiB, startedAt: 0, now: 2_000 }, { fraction: 0, rate: 0, etaSeconds: null }],
    ["an unknown total has a rate but no time left", { done: 4 * MiB, total: null, startedAt: 0, now: 2_000 }, { fraction: null, rate: 2 * MiB, etaSeconds: null }],
    ["no rate in the first second (the first buffer fills at once)", { done: 2 * MiB, total: 48 * MiB, startedAt: 0, now: 5 }, { fraction: 2 / 48, rate: 0, etaSeconds: null }],
    ["a fast finish has its true average", { done: 48 * MiB, total: 48 * MiB, startedAt: 0, now: 100 }, { fraction: 1, rate: 480 * MiB, etaSeconds: 0 }],
    ["done is done, whatever the clock", { done: 20 * MiB, total: 20 * MiB, startedAt: 0, now: 0 }, { fraction: 1, rate: 0, etaSeconds: 0 }],
    ["more than announced stays at 100%", { done: 21 * MiB, total: 20 * MiB, startedAt: 0, now: 1_000 }, { fraction: 1, rate: 21 * MiB, etaSeconds: 0 }],
  ])("%s", (_name, input, expected) => {
    expect(estimateTransfer(input)).toEqual(expected);
  });

  it("uses the recent samples, so a transfer that slowed down shows its present rate", () => {
    // 18 MiB in the first 2 s, then 1 MiB/s for the last 4 s.
    const samples = [{ at: 2_000, bytes: 18 * MiB }, { at: 4_000, bytes: 20 * MiB }, { at: 6_000, bytes: 22 * MiB }];
    const e = estimateTransfer({ done: 22 * MiB, total: 32 * MiB, startedAt: 0, now: 6_000, samples });
    expect(e.rate).toBe(MiB);
    expect(e.etaSeconds).toBe(10);
  });

  it("falls back to the average when one sample is all there is", () => {
    const e = estimateTransfer({ done: 3 * MiB, total: 6 * MiB, startedAt: 0, now: 3_000, samples: [{ at: 3_000, bytes: 3 * MiB }] });
    expect(e.rate).toBe(MiB);
    expect(e.etaSeconds).toBe(3);
  });
});

describe("addSample", () => {
  it("drops samples older than the window and any that went backwards", () => {
    let s = addSample([], { at: 0, bytes: 0 });
    s = addSample(s, { at: 1_000, bytes: MiB });
    s = addSample(s, { at: 1_000 + RATE_WINDOW_MS, bytes: 2 * MiB });
    expect(s.map((x) => x.at)).toEqual([1_000, 1_000 + RATE_WINDOW_MS]);
    // A new transfer (fewer bytes) starts the samples over.
    expect(addSample(s, { at: 7_000, bytes: 10 })).toEqual([{ at: 7_000, bytes: 10 }]);
  });
});

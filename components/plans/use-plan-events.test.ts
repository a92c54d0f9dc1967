// The plan room's live feed is throttled on the leading edge: the first event after a quiet spell
// reaches the screen at once, a burst at most once a period.
import { describe, expect, it } from "vitest";
import { throttleDelay } from "./use-plan-events";

describe("the live feed's throttle", () => {
  it("runs at once after a quiet spell of at least one period", () => {
    expect(throttleDelay(0, 150, 10_000)).toBe(0);
    expect(throttleDelay(9_850, 150, 10_000)).toBe(0);
  });

  it("waits out the rest of the period when the last run was recent", () => {
    expect(throttleDelay(9_900, 150, 10_000)).toBe(50);
    expect(throttleDelay(10_000, 150, 10_000)).toBe(150);
  });
});

import { describe, expect, it } from "vitest";
import { checkBrake } from "./campaign-brake";

const failed = (n: number) => Array.from({ length: n }, (_, i) => ({ name: `t${i}`, reason: "ks_upgrade.sh failed" }));

describe("checkBrake", () => {
  const cases: [string, { canary: boolean; size: number; failures: number }, { maxFailures: number; maxFailurePercent: number }, boolean][] = [
    ["a canary with no failure goes on", { canary: true, size: 2, failures: 0 }, { maxFailures: 5, maxFailurePercent: 100 }, false],
    ["any canary failure halts, whatever the limits", { canary: true, size: 10, failures: 1 }, { maxFailures: 5, maxFailurePercent: 100 }, true],
    ["maxFailures 1: one failure goes on", { canary: false, size: 10, failures: 1 }, { maxFailures: 1, maxFailurePercent: 100 }, false],
    ["maxFailures 1: two failures halt", { canary: false, size: 10, failures: 2 }, { maxFailures: 1, maxFailurePercent: 100 }, true],
    ["maxFailures 0: one failure halts", { canary: false, size: 10, failures: 1 }, { maxFailures: 0, maxFailurePercent: 100 }, true],
    ["exactly the percentage goes on", { canary: false, size: 10, failures: 2 }, { maxFailures: 9, maxFailurePercent: 20 }, false],
    ["above the percentage halts", { canary: false, size: 10, failures: 3 }, { maxFailures: 9, maxFailurePercent: 20 }, true],
    ["percent of a small wave", { canary: false, size: 3, failures: 1 }, { maxFailures: 5, maxFailurePercent: 30 }, true],
    ["100 % never trips by percentage", { canary: false, size: 2, failures: 2 }, { maxFailures: 5, maxFailurePercent: 100 }, false],
  ];
  it.each(cases)("%s", (_n, wave, brake, tripped) => {
    const verdict = checkBrake({ name: "wave 1", canary: wave.canary, size: wave.size, failed: failed(wave.failures) }, brake);
    expect(verdict.tripped).toBe(tripped);
  });
  it("names the wave, the failures and their reasons", () => {
    const verdict = checkBrake({ name: "wave 2", canary: false, size: 4, failed: failed(2) }, { maxFailures: 1, maxFailurePercent: 100 });
    expect(verdict.tripped && verdict.reason).toMatch(/wave 2: 2 of 4 targets failed.*t0 \(ks_upgrade.sh failed\); t1/);
  });
});

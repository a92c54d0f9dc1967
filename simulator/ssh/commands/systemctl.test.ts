import { describe, expect, it } from "vitest";
import { formatStatus, timespan } from "./systemctl";

describe("systemctl status", () => {
  const since = new Date(Date.UTC(2025, 4, 6, 10, 15, 2));
  const now = new Date(since.getTime() + (2 * 3600 + 3 * 60) * 1000);

  it("[U10] says active (running) when healthy", () => {
    const text = formatStatus("keysecure", "active", since, now);
    expect(text).toContain("● keysecure.service - CipherTrust Manager services");
    expect(text).toContain("     Active: active (running) since Tue 2025-05-06 10:15:02 UTC; 2h 3min ago");
  });

  it.each([
    ["activating", "Active: activating (start)"],
    ["failed", "Active: failed (Result: exit-code)"],
    ["inactive", "Active: inactive (dead)"],
  ] as const)("says %s otherwise", (state, line) => {
    const text = formatStatus("keysecure", state, since, now);
    expect(text).toContain(line);
    expect(text).not.toContain("active (running)");
  });

  it.each([
    [5_000, "5s"],
    [62_000, "1min 2s"],
    [3_723_000, "1h 2min"],
    [90_000_000, "1 day 1h"],
    [200_000_000, "2 days 7h"],
  ])("timespan(%d) = %s", (ms, text) => {
    expect(timespan(ms)).toBe(text);
  });
});

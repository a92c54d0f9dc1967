// The stop's bookkeeping: one start, the signal every stream listens to, the bounded grace.
import { describe, expect, it, vi } from "vitest";
import { beginShutdown, graceMs, isShuttingDown, shutdownSignal } from "@/lib/http/web-shutdown";

describe("web shutdown", () => {
  it("reads the grace from FLEET_WEB_SHUTDOWN_GRACE_MS and refuses a value that is not whole milliseconds", () => {
    expect(graceMs({})).toBe(25_000);
    expect(graceMs({ FLEET_WEB_SHUTDOWN_GRACE_MS: "5000" })).toBe(5_000);
    expect(() => graceMs({ FLEET_WEB_SHUTDOWN_GRACE_MS: "5s" })).toThrow(/FLEET_WEB_SHUTDOWN_GRACE_MS.*"5s"/);
    expect(() => graceMs({ FLEET_WEB_SHUTDOWN_GRACE_MS: "-1" })).toThrow(/whole number/);
  });

  it("aborts the shared signal once, and exits at the grace only if the process is still there", () => {
    vi.useFakeTimers();
    try {
      const exit = vi.fn();
      const lines: string[] = [];
      const seen = vi.fn();
      shutdownSignal().addEventListener("abort", seen);
      expect(isShuttingDown()).toBe(false);
      beginShutdown("SIGTERM received", { graceMs: 3_000, exit, log: (l) => lines.push(l) });
      beginShutdown("SIGTERM received", { graceMs: 3_000, exit, log: (l) => lines.push(l) });
      expect(isShuttingDown()).toBe(true);
      expect(seen).toHaveBeenCalledTimes(1);
      expect(lines).toHaveLength(1);
      vi.advanceTimersByTime(2_999);
      expect(exit).not.toHaveBeenCalled();
      vi.advanceTimersByTime(1);
      expect(exit).toHaveBeenCalledWith(1);
      expect(lines[1]).toMatch(/still in flight after 3000 ms/);
    } finally {
      vi.useRealTimers();
    }
  });
});

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isServiceHealthy, parseSystemctlStatus, type ServiceState } from "./systemctl";

const status = (active: string) => `● keysecure.service - CipherTrust Manager
     Loaded: loaded (/etc/systemd/system/keysecure.service; enabled; vendor preset: enabled)
     Active: ${active}
   Main PID: 1234 (ks)`;

describe("parseSystemctlStatus", () => {
  const cases: [string, string, number | null, ServiceState, boolean, string?][] = [
    ["running", status("active (running) since Tue 2024-01-02 10:00:00 UTC; 5min ago"), 0, "active", true, "Tue 2024-01-02 10:00:00 UTC"],
    ["exited (main process gone)", status("active (exited) since Tue 2024-01-02 10:00:00 UTC; 1h ago"), 0, "active", false],
    ["reloading (transient: not yet called healthy)", status("reloading (reload) since Tue 2024-01-02 10:00:00 UTC; 1s ago"), 0, "active", false],
    ["starting", status("activating (start) since Tue 2024-01-02 10:00:00 UTC; 3s ago"), 3, "activating", false],
    ["failed", status("failed (Result: exit-code) since Tue 2024-01-02 10:00:00 UTC; 2min ago"), 3, "failed", false],
    ["stopped", status("inactive (dead)"), 3, "inactive", false],
    ["stopping", status("deactivating (stop-sigterm) since Tue 2024-01-02 10:00:00 UTC; 2s ago"), 3, "inactive", false],
    ["coloured output", `\u001b[0;1;32m●\u001b[0m keysecure.service\n   Active: \u001b[0;1;32mactive (running)\u001b[0m since Mon 2024-05-06 08:00:00 UTC; 1 day ago`, 0, "active", true],
    ["an unknown unit", "Unit keysecure.service could not be found.", 4, "unknown", false],
    ["active text but a failing exit code", status("active (running) since Tue 2024-01-02 10:00:00 UTC; 5min ago"), 3, "unknown", false],
    ["active text but no exit code (dropped session)", status("active (running)"), null, "unknown", false],
    ["garbage", "\u0000\u0001 segmentation fault", 139, "unknown", false],
    ["nothing", "", 0, "unknown", false],
    ["an unheard-of state word", status("maintenance (foo)"), 3, "unknown", false],
  ];
  it.each(cases)("[U10] %s", (_name, text, exit, state, healthy, since) => {
    const result = parseSystemctlStatus(text, exit);
    expect(result.state).toBe(state);
    expect(isServiceHealthy(result)).toBe(healthy);
    if (since) expect(result.since).toBe(since);
    expect(result.line.length).toBeGreaterThan(0);
    expect(result.detail.length).toBeGreaterThan(10);
  });

  it("[U10] keeps the Active line as evidence", () => {
    const result = parseSystemctlStatus(status("failed (Result: exit-code) since Tue 2024-01-02 10:00:00 UTC; 2min ago"), 3);
    expect(result.line).toMatch(/^Active: failed/);
    expect(result.subState).toBe("Result: exit-code");
  });

  it("never throws on arbitrary text", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), fc.option(fc.integer({ min: -1, max: 255 })), (text, exit) => {
        expect(parseSystemctlStatus(text, exit ?? null).state).toBeTypeOf("string");
      }),
      { numRuns: 300 },
    );
  });
});

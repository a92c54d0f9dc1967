import { describe, expect, it } from "vitest";
import { canDecide, checkWindow, needsWindow, validateWindowRequest, windowGatedSteps, type WindowFacts } from "./maintenance-window";
import { compilePlan } from "./plan-compiler";

const t = (h: number) => new Date(Date.UTC(2026, 11, 1, h));
const plan = { method: "offline-in-place", targetVersion: "2.11.0+13003", archiveIds: ["a1"] };
const approved: WindowFacts = { state: "approved", startsAt: t(10), endsAt: t(12), targetVersion: "2.11.0+13003", archiveIds: ["a1"], requestedById: "op" };

describe("maintenance windows", () => {
  it("[F2][R2][D5] methods with downtime or a wipe need a window; online in-place does not", () => {
    expect(["offline-in-place", "remove-rebuild", "downgrade", "restore-previous"].every(needsWindow)).toBe(true);
    expect(needsWindow("online-rolling") || needsWindow("standalone")).toBe(false);
  });

  it.each([
    ["no window", null, t(11), "no-window"],
    ["only requested", { ...approved, state: "requested" as const }, t(11), "not-approved"],
    ["before it opens", approved, t(9), "not-open-yet"],
    ["after it closes", approved, t(12), "closed"],
    ["another version", { ...approved, targetVersion: "2.11.1" }, t(11), "pins-changed"],
    ["another archive", { ...approved, archiveIds: ["a2"] }, t(11), "pins-changed"],
  ])("refuses %s", (_label, window, now, code) => {
    expect(checkWindow(plan, window, now)).toMatchObject({ ok: false, code });
  });

  it("allows a plan inside its approved window, and any plan that needs none", () => {
    expect(checkWindow(plan, approved, t(11))).toEqual({ ok: true });
    expect(checkWindow({ ...plan, method: "online-rolling" }, null, t(1))).toEqual({ ok: true });
  });

  it("needs an approver who did not request the window", () => {
    const requested = { state: "requested" as const, requestedById: "op" };
    expect(canDecide(requested, { id: "op", role: "approver" })).toMatchObject({ ok: false, message: expect.stringContaining("another approver") });
    expect(canDecide(requested, { id: "x", role: "operator" })).toMatchObject({ ok: false });
    expect(canDecide(requested, { id: "ap", role: "approver" })).toEqual({ ok: true });
    expect(canDecide({ ...requested, state: "approved" }, { id: "ap", role: "approver" })).toMatchObject({ ok: false });
  });

  it("checks a request's times", () => {
    expect(validateWindowRequest({ startsAt: t(12), endsAt: t(10), now: t(1) })).toMatch(/end after/);
    expect(validateWindowRequest({ startsAt: t(1), endsAt: t(2), now: t(3) })).toMatch(/already over/);
    expect(validateWindowRequest({ startsAt: t(10), endsAt: t(12), now: t(1) })).toBeNull();
  });

  it("[M2][F6] lets offline in-place prepare before its window, and gates everything from the stopped-clients confirmation on", () => {
    const compiled = compilePlan({ method: "offline-in-place", nodes: [{ applianceId: "a" }, { applianceId: "b" }], hops: [{ archiveVersion: "2.11.0", archiveSizeBytes: 1, forceFlag: false }] });
    if (!compiled.ok) throw new Error(compiled.message);
    const gated = windowGatedSteps("offline-in-place", compiled.steps);
    const byKind = (kind: string) => compiled.steps.filter((s) => s.kind === kind);
    expect(byKind("upload-archive").every((s) => !gated.has(s.key))).toBe(true);
    expect(byKind("run-upgrade").every((s) => gated.has(s.key))).toBe(true);
    expect(byKind("disable-rest").every((s) => gated.has(s.key))).toBe(true);
    expect(windowGatedSteps("downgrade", compiled.steps).size).toBe(compiled.steps.length);
    expect(windowGatedSteps("online-rolling", compiled.steps).size).toBe(0);
  });
});

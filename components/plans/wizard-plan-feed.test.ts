import { describe, expect, it } from "vitest";
import { foldPlanEvent, type PlanFeed } from "./wizard-plan-feed";

const EMPTY: PlanFeed = { nodes: [], prechecksRunning: false, backup: null };
const fold = (events: [string, Record<string, unknown>, number?][]) => events.reduce((f, [type, data, at]) => foldPlanEvent(f, type, data, at ?? 0), EMPTY);
const node = (applianceId: string, state: string, detail?: string) => ["precheck", { phase: "node", applianceId, name: applianceId, state, detail }] as [string, Record<string, unknown>];

describe("foldPlanEvent", () => {
  it("follows each node of a precheck run, and a finished run's results end it", () => {
    const running = fold([node("a", "pending"), node("b", "pending"), node("a", "running"), node("b", "running"), node("b", "done", "2.10; SSH answered")]);
    expect(running.prechecksRunning).toBe(true);
    expect(running.nodes.map((n) => [n.applianceId, n.state])).toEqual([["a", "running"], ["b", "done"]]);
    expect(running.nodes[1]!.detail).toBe("2.10; SSH answered");
    const finished = foldPlanEvent(running, "precheck", { takenAt: "t", results: [] }, 0);
    expect(finished.prechecksRunning).toBe(false);
    expect(finished.nodes).toHaveLength(2);
  });

  it("starts over when a new run announces its nodes", () => {
    const second = fold([node("a", "pending"), node("a", "done"), ["precheck", { results: [] }], node("a", "pending")]);
    expect(second.nodes.map((n) => n.state)).toEqual(["pending"]);
  });

  it("keeps a backup's phase, its bytes and the samples for its rate", () => {
    const f = fold([
      ["backup", { phase: "creating", applianceId: "a", startedAt: 1 }],
      ["backup", { phase: "downloading", applianceId: "a", backupId: "b1", bytes: 0, total: null, startedAt: 10 }, 10],
      ["backup", { phase: "downloading", applianceId: "a", backupId: "b1", bytes: 400, total: 1000, startedAt: 10, at: 500 }],
      ["backup", { phase: "downloading", applianceId: "a", backupId: "b1", bytes: 900, total: 1000, startedAt: 10, at: 1000 }],
    ]);
    expect(f.backup).toMatchObject({ phase: "downloading", bytes: 900, total: 1000, startedAt: 10 });
    expect(f.backup!.samples.map((s) => s.bytes)).toEqual([0, 400, 900]);
    const done = foldPlanEvent(f, "backup", { phase: "done", applianceId: "a", backupId: "b1", bytes: 1000, sha256: "ab" }, 1100);
    expect(done.backup).toMatchObject({ phase: "done", sha256: "ab", total: 1000 });
    expect(done.backup!.samples).toEqual([]);
  });

  it("ignores what it does not show", () => {
    expect(foldPlanEvent(EMPTY, "step-state", { state: "running" }, 0)).toBe(EMPTY);
  });
});

import { describe, expect, it } from "vitest";
import { gib } from "./bytes";
import { estimateDowntime, TYPICAL_STEP_SECONDS as T } from "./downtime";
import { compilePlan, type CompilePlanInput } from "./plan-compiler";

const NODE_DOWN = T["run-upgrade"] + T.reboot + T["wait-return"];
const hop = (v: string) => ({ archiveVersion: v, archiveSizeBytes: gib(5.1), forceFlag: false });

function estimate(input: CompilePlanInput, uploadBytesPerSecond?: number) {
  const compiled = compilePlan(input);
  if (!compiled.ok) throw new Error(compiled.message);
  return estimateDowntime({ method: input.method, steps: compiled.steps }, { uploadBytesPerSecond });
}

describe("estimateDowntime", () => {
  const cases: [string, CompilePlanInput, (e: ReturnType<typeof estimate>) => void][] = [
    ["a standalone hop: down from the script to its return", { method: "standalone", nodes: [{ applianceId: "a" }], hops: [hop("2.11.0")] }, (e) => expect(e.clientOutageSeconds).toBe(NODE_DOWN)],
    ["two standalone hops: twice, the time between them serving", { method: "standalone", nodes: [{ applianceId: "a" }], hops: [hop("2.11.2"), hop("2.14.0")] }, (e) => expect(e.clientOutageSeconds).toBe(2 * NODE_DOWN)],
    ["[O2][M1] online with three nodes: clients served throughout, each node down in turn", { method: "online-rolling", nodes: [{ applianceId: "a" }, { applianceId: "b" }, { applianceId: "c" }], hops: [hop("2.11.0")] }, (e) => {
      expect(e.clientOutageSeconds).toBe(0);
      expect(e.nodeOutageSeconds).toEqual({ a: NODE_DOWN, b: NODE_DOWN, c: NODE_DOWN });
    }],
    ["[O3] online: up to 30 s of database lock per release", { method: "online-rolling", nodes: [{ applianceId: "a" }, { applianceId: "b" }], hops: [hop("2.10.0"), hop("2.11.0")] }, (e) => expect(e.degradedSeconds).toBe(60)],
    ["a one-node cluster online is down while its node is", { method: "online-rolling", nodes: [{ applianceId: "a" }], hops: [hop("2.11.0")] }, (e) => expect(e.clientOutageSeconds).toBe(NODE_DOWN)],
    ["[F2][M2] offline: down from REST off to REST on, nodes in turn", { method: "offline-in-place", nodes: [{ applianceId: "a" }, { applianceId: "b" }, { applianceId: "c" }], hops: [hop("2.11.0")] }, (e) => {
      expect(e.clientOutageSeconds).toBe(T["disable-rest"] + 3 * NODE_DOWN + T["enable-rest"]);
    }],
    ["[R2][M3] remove/rebuild: down from blocking clients to restoring them", { method: "remove-rebuild", nodes: [{ applianceId: "a" }, { applianceId: "b" }], hops: [hop("2.11.0")] }, (e) => {
      expect(e.clientOutageSeconds).toBeGreaterThan(NODE_DOWN + T["create-cluster"] + T["join-cluster"]);
      expect(e.clientOutageSeconds).toBeLessThan(e.totalSeconds);
    }],
  ];
  it.each(cases)("%s", (_name, input, check) => {
    const e = estimate(input);
    check(e);
    expect(e.totalSeconds).toBeGreaterThanOrEqual(e.clientOutageSeconds);
    expect(e.message).toMatch(/without service/);
  });

  it("a slow link lengthens the plan, not the outage of a standalone upgrade", () => {
    const input: CompilePlanInput = { method: "standalone", nodes: [{ applianceId: "a" }], hops: [hop("2.11.0")] };
    const fast = estimate(input);
    const slow = estimate(input, 1_000_000);
    expect(slow.totalSeconds).toBeGreaterThan(fast.totalSeconds + 3000);
    expect(slow.clientOutageSeconds).toBe(fast.clientOutageSeconds);
  });
});

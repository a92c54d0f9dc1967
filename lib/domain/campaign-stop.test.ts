import { describe, expect, it } from "vitest";
import { stepsAllowedWhenStopping, type StopStep } from "./campaign-stop";

const chain = (node: string, states: Record<string, string> = {}): StopStep[] =>
  ["precheck", "upload-archive", "verify-upload", "disk-check", "run-upgrade", "reboot", "wait-return", "postcheck", "cleanup"].map((kind) => ({
    key: `node:${node}:${kind}:hop1`, kind, applianceId: node, hop: 1, state: states[kind] ?? "pending",
  }));
const done = (...kinds: string[]) => Object.fromEntries(kinds.map((k) => [k, "succeeded"]));
const ALL = ["precheck", "upload-archive", "verify-upload", "disk-check", "run-upgrade", "reboot", "wait-return", "postcheck", "cleanup"];

describe("stepsAllowedWhenStopping", () => {
  it("[O7] online in-place: the node inside ks_upgrade.sh is finished, the untouched ones are left, uploads included", () => {
    const steps = [
      { key: "plan:precheck:hop1", kind: "precheck", applianceId: null, hop: 1, state: "succeeded" },
      ...chain("n1", { ...done("precheck", "upload-archive", "verify-upload", "disk-check"), "run-upgrade": "running" }),
      ...chain("n2", done("upload-archive", "verify-upload")),
      ...chain("n3", { "upload-archive": "running" }),
    ];
    const rule = stepsAllowedWhenStopping("online-rolling", steps);
    expect([...rule.allowed].every((k) => k.startsWith("node:n1:"))).toBe(true);
    expect(rule.allowed.has("node:n1:reboot:hop1") && rule.allowed.has("node:n1:cleanup:hop1")).toBe(true);
    expect(rule.finishing).toEqual(["n1"]);
    expect(rule.untouched).toEqual(["n2", "n3"]);
  });
  it("a node whose change is complete is not in flight any more: the next one never starts", () => {
    const rule = stepsAllowedWhenStopping("online-rolling", [...chain("n1", done(...ALL)), ...chain("n2")]);
    expect(rule.allowed.size).toBe(0);
    expect(rule.untouched).toEqual(["n2"]);
  });
  it("[U8] standalone: stops at the step boundary before ks_upgrade.sh, never inside it", () => {
    expect(stepsAllowedWhenStopping("standalone", chain("s", done("precheck", "upload-archive"))).allowed.size).toBe(0);
    const inside = stepsAllowedWhenStopping("standalone", chain("s", { ...done("precheck", "upload-archive", "verify-upload", "disk-check"), "run-upgrade": "running" }));
    expect(inside.allowed.has("node:s:wait-return:hop1")).toBe(true);
  });
  it("[F10][R11] offline in-place and remove/rebuild run to their end once the cluster went down, else stop before", () => {
    const before = [{ key: "k1", kind: "upload-archive", applianceId: "n1", hop: 1, state: "succeeded" }, { key: "k2", kind: "disable-rest", applianceId: "n1", hop: 1, state: "pending" }];
    expect(stepsAllowedWhenStopping("offline-in-place", before).allowed.size).toBe(0);
    const after = [{ ...before[0]! }, { ...before[1]!, state: "succeeded" }, { key: "k3", kind: "enable-rest", applianceId: "n1", hop: 1, state: "pending" }];
    expect([...stepsAllowedWhenStopping("offline-in-place", after).allowed]).toEqual(["k1", "k2", "k3"]);
    expect(stepsAllowedWhenStopping("remove-rebuild", [{ key: "r", kind: "remove-node", applianceId: "n2", hop: 0, state: "running" }]).allowed.has("r")).toBe(true);
  });
});

describe("a step retried after a start", () => {
  it("counts as begun: its node is finished", () => {
    const steps = chain("n1", { ...done("precheck", "upload-archive", "verify-upload", "disk-check") }).map((s) => (s.kind === "run-upgrade" ? { ...s, attempts: 1 } : s));
    expect(stepsAllowedWhenStopping("online-rolling", steps).allowed.has("node:n1:run-upgrade:hop1")).toBe(true);
  });
});

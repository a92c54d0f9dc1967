import { describe, expect, it } from "vitest";
import { mayAbort, mayCancelPause, mayPauseAfterNode, mayResume, mayRetryNode, type ControlPlan, type ControlStep, type Verdict } from "./plan-controls";

const NODES = [{ applianceId: "n1", name: "cm-1" }, { applianceId: "n2", name: "cm-2" }, { applianceId: "n3", name: "cm-3" }];
const KINDS = ["precheck", "upload-archive", "verify-upload", "disk-check", "run-upgrade", "reboot", "wait-return", "postcheck"];
const chain = (node: string, states: Partial<Record<string, string>> = {}): ControlStep[] =>
  KINDS.map((kind) => ({ key: `node:${node}:${kind}:hop1`, kind, title: `${kind} ${node}`, applianceId: node, hop: 1, state: states[kind] ?? "pending" }));
const upTo = (kind: string, state: string) => Object.fromEntries(KINDS.slice(0, KINDS.indexOf(kind) + 1).map((k, i, all) => [k, i === all.length - 1 ? state : "succeeded"]));
const plan = (over: Partial<ControlPlan> = {}): ControlPlan => ({ method: "online-rolling", state: "running", pauseAfterNode: false, nodes: NODES, ...over });
const text = (v: Verdict) => (v.ok ? `ok: ${v.note}` : `no: ${v.reason}`);

describe("pause after this node [O7]", () => {
  const node1Rebooting = [...chain("n1", upTo("reboot", "running")), ...chain("n2", upTo("verify-upload", "succeeded")), ...chain("n3")];
  it.each([
    ["node 1 mid-upgrade: finished, the rest held back", plan(), node1Rebooting, "ok: Finishes cm-1, then stops before cm-2, cm-3."],
    ["before any node changed", plan(), [...chain("n1", upTo("precheck", "running")), ...chain("n2"), ...chain("n3")], "ok: Stops before the next node changes; untouched: cm-1, cm-2, cm-3."],
    ["not on a plan that is not running", plan({ state: "paused" }), node1Rebooting, "no: Only a running plan can pause after its current node; this one is paused."],
    ["not twice", plan({ pauseAfterNode: true }), node1Rebooting, "no: A pause after the current node is already asked for."],
    ["not on one appliance", plan({ method: "standalone", nodes: NODES.slice(0, 1) }), chain("n1"), "no: This plan has one appliance, so there is no next node to hold back. To stop it, abort: a running step finishes first."],
    ["not when the last node is in flight", plan(), [...chain("n1", upTo("postcheck", "succeeded")), ...chain("n2", upTo("postcheck", "succeeded")), ...chain("n3", upTo("run-upgrade", "running"))], "no: Every node's upgrade has begun: there is no untouched node left to hold back."],
  ])("%s", (_name, p, steps, expected) => {
    expect(text(mayPauseAfterNode(p, steps))).toBe(expected);
  });
  it("[F10][R11] offline in-place: before the cluster goes down yes, after it no", () => {
    const before = [...chain("n1", upTo("disk-check", "succeeded")), ...chain("n2", upTo("disk-check", "succeeded"))];
    expect(mayPauseAfterNode(plan({ method: "offline-in-place", nodes: NODES.slice(0, 2) }), before).ok).toBe(true);
    const down = [...before, { key: "node:n1:disable-rest:hop1", kind: "disable-rest", title: "REST off", applianceId: "n1", hop: 1, state: "succeeded" }];
    expect(text(mayPauseAfterNode(plan({ method: "offline-in-place", nodes: NODES.slice(0, 2) }), down))).toMatch(/^no: The cluster is already down .* \[F10\]\[R11\]\.$/);
  });
  it("a request can be taken back while the plan runs", () => {
    expect(mayCancelPause(plan({ pauseAfterNode: true })).ok).toBe(true);
    expect(text(mayCancelPause(plan()))).toBe("no: No pause after the current node was asked for.");
    expect(text(mayCancelPause(plan({ pauseAfterNode: true, state: "paused" })))).toBe("no: The plan is paused already; resume it to go on.");
  });
});

describe("resume, abort", () => {
  const failed = [...chain("n1", upTo("postcheck", "succeeded")), ...chain("n2", upTo("run-upgrade", "failed")), ...chain("n3")];
  it.each([
    ["a failed plan runs its failed step again", () => mayResume(plan({ state: "failed" }), failed), "ok: Runs again: run-upgrade n2. It observes the node first, then the plan goes on."],
    ["a paused plan goes on", () => mayResume(plan({ state: "paused" }), chain("n1")), "ok: Goes on from where it paused."],
    ["a running plan is not resumed", () => mayResume(plan(), chain("n1")), "no: Only a failed or paused plan can be resumed; this one is running."],
    ["abort says the running step finishes first", () => mayAbort(plan(), chain("n1", upTo("run-upgrade", "running"))), "ok: Nothing new starts. The running step finishes first, since stopping it halfway could leave the node worse off (run-upgrade n1); then the appliances are released."],
    ["abort of a failed plan", () => mayAbort(plan({ state: "failed" }), failed), "ok: Nothing new starts, and the appliances are released."],
    ["no abort after the end", () => mayAbort(plan({ state: "succeeded" }), []), "no: The plan is already succeeded."],
  ])("%s", (_name, verdict, expected) => {
    expect(text(verdict())).toBe(expected);
  });
});

describe("retry node", () => {
  const failed = [...chain("n1", upTo("postcheck", "succeeded")), ...chain("n2", upTo("run-upgrade", "failed")), ...chain("n3")];
  it.each([
    ["the failed node", plan({ state: "failed" }), failed, "n2", "ok: Runs again: run-upgrade n2. It observes the node first, then the plan goes on."],
    ["a node where nothing failed", plan({ state: "failed" }), failed, "n1", "no: Nothing failed on cm-1."],
    ["an appliance outside the plan", plan({ state: "failed" }), failed, "nx", "no: This appliance is not a node of the plan."],
    ["while the plan runs", plan(), failed, "n2", "no: Only a failed or paused plan can retry a node; this one is running."],
    ["when another node failed too", plan({ state: "failed" }), failed.map((s) => (s.key === "node:n3:upload-archive:hop1" ? { ...s, state: "failed" } : s)), "n2", "no: upload-archive n3 failed too: resume the whole plan instead."],
  ])("%s", (_name, p, steps, node, expected) => {
    expect(text(mayRetryNode(p, steps, node))).toBe(expected);
  });
});

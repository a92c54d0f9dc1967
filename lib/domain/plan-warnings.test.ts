import { describe, expect, it } from "vitest";
import { compilePlan, type CompilePlanInput } from "./plan-compiler";
import { planWarnings, type WarnStep } from "./plan-warnings";

const NODES = [{ applianceId: "n1", name: "cm-1" }, { applianceId: "n2", name: "cm-2" }, { applianceId: "n3", name: "cm-3" }];
const hop = { archiveVersion: "2.11.0+13003", archiveSizeBytes: 1, forceFlag: false };

function stepsOf(method: CompilePlanInput["method"], count = 3): WarnStep[] {
  const compiled = compilePlan({ method, nodes: NODES.slice(0, count).map((n) => ({ applianceId: n.applianceId, label: n.name })), hops: [hop] });
  if (!compiled.ok) throw new Error(compiled.message);
  return compiled.steps.map((s) => ({ key: s.key, kind: s.kind, state: "pending", applianceId: s.applianceId ?? null, hop: s.hop ?? 0, attempts: 0 }));
}

/** Every step before the first matching one done, that one in `state`: the plan as it stands at that moment. */
function at(steps: WarnStep[], match: (s: WarnStep) => boolean, state = "running"): WarnStep[] {
  const i = steps.findIndex(match);
  if (i < 0) throw new Error("no such step");
  return steps.map((s, j) => (j < i ? { ...s, state: "succeeded", attempts: 1 } : j === i ? { ...s, state, attempts: 1 } : s));
}
const kind = (k: string, node?: string) => (s: WarnStep) => s.kind === k && (node === undefined || s.applianceId === node);
const key = (part: string) => (s: WarnStep) => s.key.includes(part);
const warn = (method: string, state: string, steps: WarnStep[], clustered = true) =>
  planWarnings({ method, state, clustered }, NODES, steps).map((w) => `${w.id} ${w.phase}: ${w.text}`);

describe("[O3][O8] the database lock of an online upgrade's first node", () => {
  const steps = stepsOf("online-rolling");
  it.each([
    ["before launch", "ready", steps, /^database-lock upcoming: When cm-1, the first node, upgrades/],
    ["while the first upload runs", "running", at(steps, kind("upload-archive", "n1")), /^database-lock upcoming/],
    ["while ks_upgrade.sh runs on the first node", "running", at(steps, kind("run-upgrade", "n1")), /^database-lock now: Warning: The first node is upgrading \(cm-1\)/],
    ["while the first node reboots", "running", at(steps, kind("reboot", "n1")), /^database-lock now/],
  ])("%s", (_name, state, s, expected) => {
    expect(warn("online-rolling", state, s)).toEqual([expect.stringMatching(expected)]);
  });
  it.each([
    ["once the first node is back and checked", "online-rolling", "running", at(steps, kind("run-upgrade", "n2")), true],
    ["when the first node's upgrade failed", "online-rolling", "failed", at(steps, kind("run-upgrade", "n1"), "failed"), true],
    ["on an unclustered appliance", "standalone", "running", at(stepsOf("standalone", 1), kind("run-upgrade", "n1")), false],
  ])("not %s", (_name, method, state, s, clustered) => {
    expect(warn(method, state, s, clustered)).toEqual([]);
  });
});

describe("[F2][F9][F10][R2] client traffic blocked", () => {
  const offline = stepsOf("offline-in-place");
  it.each([
    ["offline: announced before the cluster goes down", "running", at(offline, key(":clients-stopped"), "waiting"), /^client-traffic upcoming: This method takes the cluster offline/],
    ["offline: stopped as confirmed, REST still on", "running", at(offline, key(":before-upgrade")), /^client-traffic now: Client traffic is stopped, as you confirmed/],
    ["offline: REST off on the nodes it was disabled on", "running", at(offline, kind("disable-rest", "n2")), /^client-traffic now: Client traffic is blocked: the REST API is off on cm-1, cm-2 \(2 of 3 nodes\)/],
    ["offline: still blocked when the plan failed mid-way", "failed", at(offline, kind("run-upgrade", "n2"), "failed"), /3 of 3 nodes\)\. .*The plan is failed\.$/],
    ["offline: REST back on one node, off on the others", "running", at(offline, kind("enable-rest", "n2")), /REST API is off on cm-2, cm-3 \(2 of 3 nodes\)/],
  ])("%s", (_name, state, s, expected) => {
    expect(warn("offline-in-place", state, s)).toEqual([expect.stringMatching(expected)]);
  });
  it("offline: nothing once the REST API is back on every node", () => {
    expect(warn("offline-in-place", "running", at(offline, key(":clients-resumed"), "waiting"))).toEqual([]);
  });
  const rebuild = stepsOf("remove-rebuild");
  it.each([
    ["rebuild: announced before", "ready", rebuild, /^client-traffic upcoming: This method blocks client access/],
    ["rebuild: blocked from the confirmation on", "running", at(rebuild, kind("remove-node")), /^client-traffic now: Client access is blocked/],
    ["rebuild: blocked until access is restored", "running", at(rebuild, key(":clients-restored"), "waiting"), /^client-traffic now/],
  ])("%s", (_name, state, s, expected) => {
    expect(warn("remove-rebuild", state, s)).toEqual([expect.stringMatching(expected)]);
  });
  it("rebuild: nothing once access is restored", () => {
    expect(warn("remove-rebuild", "succeeded", rebuild.map((s) => ({ ...s, state: "succeeded", attempts: 1 })))).toEqual([]);
  });
});

describe("[D3][D5] a downgrade's data wipe", () => {
  const steps = stepsOf("downgrade", 1);
  it.each([
    ["before launch", "prechecked", steps, /^data-wipe upcoming: Downgrading cm-1 wipes all its data except existing backup files \[D3\]/],
    ["while the person is asked to confirm it", "running", at(steps, kind("operator-confirm"), "waiting"), /^data-wipe upcoming/],
    ["while ks_downgrade.sh runs", "running", at(steps, kind("run-downgrade")), /^data-wipe now: cm-1 is being downgraded/],
    ["until the appliance is back", "running", at(steps, kind("wait-return")), /^data-wipe now/],
  ])("%s", (_name, state, s, expected) => {
    expect(warn("downgrade", state, s, false)).toEqual([expect.stringMatching(expected)]);
  });
  it("not after it is back, nor on an aborted plan", () => {
    expect(warn("downgrade", "running", at(steps, kind("postcheck")), false)).toEqual([]);
    expect(warn("downgrade", "aborted", steps.map((s) => ({ ...s, state: "cancelled" })), false)).toEqual([]);
  });
});

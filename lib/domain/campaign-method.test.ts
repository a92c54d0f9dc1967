import { describe, expect, it } from "vitest";
import { assessTarget, type AssessTargetInput, type TargetNodeFacts } from "./campaign-method";
import { DEFAULT_RELEASE_CATALOG } from "./default-release-catalog";
import { v } from "./test-helpers";

const archive = (version: string, verified = true) => ({ version: v(version), verified, fileName: `ks_upgrade_${version}.tar.gz.gpg` });
const node = (name: string, version: string | null, over: Partial<TargetNodeFacts> = {}): TargetNodeFacts => ({ name, version, status: "ok", statusReason: null, lockedByPlanId: null, ...over });
const input = (over: Partial<AssessTargetInput<ReturnType<typeof archive>>>): AssessTargetInput<ReturnType<typeof archive>> => ({
  catalog: DEFAULT_RELEASE_CATALOG, archives: [archive("2.11.0+13003")], to: v("2.11.0+13003"), kind: "appliance",
  nodes: [node("cm1", "2.10.0+12807")], clusterMethods: ["online-rolling"], approvedWindows: [], ...over,
});
const cluster = (versions: string[]) => versions.map((ver, i) => node(`cm-par-0${i + 1}`, ver));

describe("assessTarget", () => {
  it("[U2] plans a standalone appliance on its tested path with the verified archive", () => {
    const r = assessTarget(input({}));
    expect(r.verdict).toBe("plannable");
    expect(r.verdict === "plannable" && [r.method, r.hops.map((h) => h.archiveFileName)]).toEqual(["standalone", ["ks_upgrade_2.11.0+13003.tar.gz.gpg"]]);
  });
  it("[U2] never overrides an untested path", () => {
    const r = assessTarget(input({ nodes: [node("old", "2.7.0+10000")] }));
    expect(r.verdict).toBe("unplannable");
    expect(r.verdict === "unplannable" && r.reasons.join(" ")).toMatch(/untested path/i);
  });
  it("[U1] names a missing or unverified archive", () => {
    const missing = assessTarget(input({ archives: [] }));
    expect(missing.verdict === "unplannable" && missing.missingArchives.join(" ")).toMatch(/no verified archive for 2.11.0/);
    const unverified = assessTarget(input({ archives: [archive("2.11.0+13003", false)] }));
    expect(unverified.verdict === "unplannable" && unverified.reasons.join(" ")).toMatch(/no verified signature/);
  });
  it("skips a target already on the target version", () => {
    expect(assessTarget(input({ nodes: [node("cm1", "2.11.0+13003")] })).verdict).toBe("already-on-target");
  });
  it("names every stored reason at once: unknown version, changed identity, unreachable, locked", () => {
    const r = assessTarget(input({ kind: "cluster", nodes: [node("a", null), node("b", "2.10.0+1", { status: "trust-changed", lockedByPlanId: "p1" }), node("c", "2.10.0+1", { status: "unreachable", statusReason: "timeout" })] }));
    expect(r.verdict).toBe("unplannable");
    const text = r.verdict === "unplannable" ? r.reasons.join(" | ") : "";
    expect(text).toMatch(/version of a is not known/);
    expect(text).toMatch(/b: its SSH host key or TLS certificate changed/);
    expect(text).toMatch(/b is held by another active plan \(p1\)/);
    expect(text).toMatch(/c was unreachable when last observed \(timeout\)/);
  });
  it("[M1] takes the first policy method that works for a cluster", () => {
    const r = assessTarget(input({ kind: "cluster", nodes: cluster(["2.10.0+12807", "2.10.0+12807"]), clusterMethods: ["online-rolling", "offline-in-place"] }));
    expect(r.verdict === "plannable" && r.method).toBe("online-rolling");
  });
  it("[F2] uses offline in-place only where an approved window exists, else falls back", () => {
    const nodes = cluster(["2.10.0+12807", "2.10.0+12807"]);
    const withWindow = assessTarget(input({ kind: "cluster", nodes, clusterMethods: ["offline-in-place", "online-rolling"], approvedWindows: ["offline-in-place"] }));
    expect(withWindow.verdict === "plannable" && withWindow.method).toBe("offline-in-place");
    const fallback = assessTarget(input({ kind: "cluster", nodes, clusterMethods: ["offline-in-place", "online-rolling"] }));
    expect(fallback.verdict === "plannable" && fallback.method).toBe("online-rolling");
    expect(fallback.verdict === "plannable" && fallback.attempts.map((a) => a.ok)).toEqual([false, true]);
    const only = assessTarget(input({ kind: "cluster", nodes, clusterMethods: ["offline-in-place"] }));
    expect(only.verdict).toBe("needs-window");
    expect(only.verdict === "needs-window" && only.reasons[0]).toMatch(/^offline-in-place: .*approved/);
  });
  it("[F8][O4] says a cluster has mixed versions; offline in-place refuses it, online in-place levels it", () => {
    const nodes = cluster(["2.10.0+12807", "2.11.0+13003"]);
    const r = assessTarget(input({ kind: "cluster", nodes, clusterMethods: ["offline-in-place", "online-rolling"], approvedWindows: ["offline-in-place"] }));
    expect(r.verdict === "plannable" && [r.method, r.notes.join(" ")]).toEqual(["online-rolling", expect.stringMatching(/Mixed versions: cm-par-01 2.10.0\+12807, cm-par-02 2.11.0\+13003/)]);
    expect(r.verdict === "plannable" && r.attempts[0]!.reason).toMatch(/offline in-place needs one starting version/);
  });
  it("refuses a node newer than the target", () => {
    const r = assessTarget(input({ kind: "cluster", nodes: cluster(["2.10.0+12807", "2.12.0+14001"]) }));
    expect(r.verdict === "unplannable" && r.reasons[0]).toMatch(/cm-par-02 runs 2.12.0\+14001, newer than the target/);
  });
  it("refuses a cluster with no enrolled node", () => {
    expect(assessTarget(input({ kind: "cluster", nodes: [] })).verdict).toBe("unplannable");
  });
});

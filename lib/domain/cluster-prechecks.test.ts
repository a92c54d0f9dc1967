import { describe, expect, it } from "vitest";
import { gib } from "./bytes";
import { classifyNodeStatus } from "./cluster-node-status";
import { evaluateClusterPrechecks, type ClusterFacts, type ClusterNodeFacts } from "./cluster-prechecks";
import { parseDfOutput } from "./disk";
import { isPlanBlocked, type Precheck, type PrecheckId } from "./precheck";
import { DEFAULT_RELEASE_CATALOG as CATALOG } from "./release-catalog";
import { parseSystemctlStatus } from "./systemctl";
import { v } from "./test-helpers";

const node = (id: string, version = "2.10.0"): ClusterNodeFacts => ({
  applianceId: id,
  version: v(version),
  status: { code: "r", description: "ready" },
  disk: parseDfOutput(`Filesystem 1B-blocks Used Available Capacity Mounted on\n/dev/sda2 ${gib(100)} ${gib(60)} ${gib(40)} 60% /`),
  service: parseSystemctlStatus("Active: active (running)", 0),
  hostKeyPinned: true,
});

function facts(method: ClusterFacts["method"], edit: (f: ClusterFacts) => void = () => {}): ClusterFacts {
  const f: ClusterFacts = {
    method,
    catalog: CATALOG,
    target: v("2.11.0"),
    nodes: [node("n1"), node("n2"), node("n3")],
    archive: { version: v("2.11.0"), sizeBytes: gib(5), signatureVerified: true, onAppliance: false },
    auditRecordsToDatabase: "absent",
    backup: { kind: "downloaded", backupDownloaded: true, keyDownloaded: true, applianceVersion: v("2.10.0"), by: "ops" },
  };
  edit(f);
  return f;
}

const find = (checks: Precheck[], id: PrecheckId, applianceId?: string) => checks.find((c) => c.id === id && (applianceId === undefined || c.applianceId === applianceId));

describe("evaluateClusterPrechecks", () => {
  it.each(["online-rolling", "offline-in-place", "remove-rebuild"] as const)("a healthy, level cluster passes for %s (warnings only)", (method) => {
    const checks = evaluateClusterPrechecks(facts(method));
    expect(checks.filter((c) => c.status === "fail")).toEqual([]);
    expect(isPlanBlocked(checks).blocked).toBe(false);
  });

  const cases: { name: string; method: ClusterFacts["method"]; edit: (f: ClusterFacts) => void; id: PrecheckId; node?: string; status: string; rule: string; text?: RegExp }[] = [
    { name: "[O6] every node must be ready before an online upgrade", method: "online-rolling", edit: (f) => { f.nodes[1]!.status = { code: "d", description: "down" }; }, id: "node-status", node: "n2", status: "fail", rule: "O6", text: /rejoin/ },
    { name: "[F5][F8] a joining node means wait", method: "offline-in-place", edit: (f) => { f.nodes[2]!.status = { code: "b", description: "joining" }; }, id: "node-status", node: "n3", status: "fail", rule: "F8", text: /wait for the join to complete/ },
    { name: "[F8] nodes in different states across databases: rejoin", method: "offline-in-place", edit: (f) => { f.nodes[0]!.status = { code: "x", description: "nodes are in different states across databases" }; }, id: "node-status", node: "n1", status: "fail", rule: "F8", text: /rejoin/ },
    { name: "[O6][F5] an obsolete node must be removed first", method: "online-rolling", edit: (f) => { f.nodes[0]!.status = { code: "v", description: "removed" }; }, id: "node-status", node: "n1", status: "fail", rule: "F5", text: /obsolete/ },
    { name: "[F8] audit records written to the database: turn it off on one node", method: "offline-in-place", edit: (f) => { f.auditRecordsToDatabase = "on"; }, id: "audit-records-db", status: "fail", rule: "F8", text: /Disable local database audit logging on one node/ },
    { name: "[F8] nodes on different versions: level them with online or remove/rebuild", method: "offline-in-place", edit: (f) => { f.nodes[2]!.version = v("2.10.1"); }, id: "same-versions", status: "fail", rule: "F8", text: /online in-place or remove\/rebuild/ },
    { name: "[O4] mixed versions only warn online: the plan levels them", method: "online-rolling", edit: (f) => { f.nodes[2]!.version = v("2.10.1"); }, id: "same-versions", status: "warn", rule: "O4" },
    { name: "[F8] a signature that does not verify: download again", method: "offline-in-place", edit: (f) => { f.archive.signatureVerified = false; }, id: "archive-signature", status: "fail", rule: "F8", text: /Re-download/ },
    { name: "[F8][U7] insufficient disk on one node", method: "offline-in-place", edit: (f) => { f.nodes[1]!.disk = parseDfOutput("Filesystem Size Used Avail Use% Mounted on\n/dev/sda2 98G 90G 8G 92% /"); }, id: "disk-space", node: "n2", status: "fail", rule: "F8" },
    { name: "[F3] each node's host key is accepted before the offline tool runs", method: "offline-in-place", edit: (f) => { f.nodes[0]!.hostKeyPinned = false; }, id: "host-fingerprint", node: "n1", status: "fail", rule: "F3" },
    { name: "[O6] a node whose service is failing blocks", method: "online-rolling", edit: (f) => { f.nodes[0]!.service = parseSystemctlStatus("Active: failed", 3); }, id: "service-health", node: "n1", status: "fail", rule: "O6" },
    { name: "[O5][F4] no backup yet: warned, enforced by the plan state", method: "online-rolling", edit: (f) => { delete f.backup; }, id: "backup", status: "warn", rule: "O5" },
    { name: "[F1] offline to a feature release is refused", method: "offline-in-place", edit: (f) => { f.nodes = [node("n1", "2.11.0"), node("n2", "2.11.0")]; f.target = v("2.12.0"); f.archive.version = v("2.12.0"); }, id: "upgrade-path", status: "fail", rule: "F1" },
    { name: "[O1] online in-place starts with the next release's archive", method: "online-rolling", edit: (f) => { f.nodes = [node("n1", "2.9.0")]; }, id: "upgrade-path", status: "fail", rule: "O1", text: /needs 2\.10\.x/ },
    { name: "[O2][O3][O8] online: the launcher reads what clients will see", method: "online-rolling", edit: () => {}, id: "client-impact", status: "warn", rule: "O3", text: /30 s/ },
    { name: "[F2][F9] offline: downtime, stop client traffic", method: "offline-in-place", edit: () => {}, id: "client-impact", status: "warn", rule: "F9" },
    { name: "[R2] remove/rebuild: block clients, changes can be lost", method: "remove-rebuild", edit: () => {}, id: "client-impact", status: "warn", rule: "R2", text: /lost/ },
    { name: "more than 20 nodes is not a CipherTrust cluster", method: "online-rolling", edit: (f) => { f.nodes = Array.from({ length: 21 }, (_, i) => node(`n${i}`)); }, id: "node-count", status: "fail", rule: "" },
  ];
  it.each(cases)("$name", (c) => {
    const checks = evaluateClusterPrechecks(facts(c.method, c.edit));
    const check = find(checks, c.id, c.node);
    expect(check?.status).toBe(c.status);
    if (c.rule) expect(check?.ruleIds).toContain(c.rule);
    if (c.text) expect(`${check?.summary} ${check?.remedy ?? ""}`).toMatch(c.text);
  });
});

describe("classifyNodeStatus", () => {
  it.each([
    [{ code: "r" }, "ready"],
    [{ code: "creating" }, "wait"],
    [{ code: "o" }, "wait"],
    [{ code: "m", description: "removing" }, "wait"],
    [{ code: "v" }, "remove"],
    [{ code: "d", description: "down" }, "rejoin"],
    [{ code: "k", description: "killed" }, "rejoin"],
    [{ code: "none", description: "not clustered" }, "rejoin"],
    [{ code: "??" }, "rejoin"],
    [null, "rejoin"],
  ] as const)("[F8] %j -> %s", (status, kind) => {
    expect(classifyNodeStatus(status).kind).toBe(kind);
  });
});

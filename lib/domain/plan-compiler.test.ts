import { describe, expect, it } from "vitest";
import { gib } from "./bytes";
import { compilePlan, type CompilePlanInput, type PlanHop, type Step } from "./plan-compiler";
import { REMOTE_ARCHIVE_DIRECTORY } from "./plan-step";
import { validateStepGraph } from "./step-graph";
import { PLAN_METHODS, type PlanMethod } from "./upgrade-path-types";

const hop = (archiveVersion: string, forceFlag = false): PlanHop => ({ archiveVersion, archiveSizeBytes: gib(5.1), forceFlag });
const nodes = (...ids: string[]) => ids.map((applianceId) => ({ applianceId }));

function compile(input: CompilePlanInput): Step[] {
  const result = compilePlan(input);
  if (!result.ok) throw new Error(result.message);
  const graph = validateStepGraph(result.steps);
  if (!graph.ok) throw new Error(graph.message);
  return result.steps;
}

/** True when `later` depends, directly or not, on `earlier`. */
function after(steps: Step[], earlier: string, later: string): boolean {
  const byKey = new Map(steps.map((s) => [s.key, s]));
  const seen = new Set<string>();
  const stack = [...(byKey.get(later)?.dependsOn ?? [])];
  while (stack.length) {
    const k = stack.pop()!;
    if (k === earlier) return true;
    if (seen.has(k)) continue;
    seen.add(k);
    stack.push(...(byKey.get(k)?.dependsOn ?? []));
  }
  return false;
}
const key = (steps: Step[], k: string) => {
  const s = steps.find((x) => x.key === k);
  if (!s) throw new Error(`no step ${k} in ${steps.map((x) => x.key).join(", ")}`);
  return s;
};
const ordered = (steps: Step[], keys: string[]) => keys.every((k, i) => i === 0 || after(steps, keys[i - 1]!, k));

describe("compilePlan: every method yields a valid graph", () => {
  const inputs: Record<PlanMethod, CompilePlanInput> = {
    standalone: { method: "standalone", nodes: nodes("a1"), hops: [hop("2.11.2"), hop("2.14.0")] },
    downgrade: { method: "downgrade", nodes: nodes("a1"), hops: [hop("2.10.0")] },
    "online-rolling": { method: "online-rolling", nodes: nodes("n1", "n2", "n3"), hops: [hop("2.10.0"), hop("2.11.0")] },
    "offline-in-place": { method: "offline-in-place", nodes: nodes("n1", "n2", "n3"), hops: [hop("2.11.0")] },
    "remove-rebuild": { method: "remove-rebuild", nodes: nodes("n1", "n2", "n3"), hops: [hop("2.11.2"), hop("2.14.0")] },
  };
  it.each(PLAN_METHODS)("%s", (method) => {
    const steps = compile(inputs[method]);
    for (const s of steps) {
      expect(s.title.length).toBeGreaterThan(5);
      expect(s.deadlineSeconds).toBeGreaterThan(0);
      expect(new Set(s.dependsOn).size).toBe(s.dependsOn.length);
    }
    // Deterministic: recompiling gives the same keys and edges (job ids derive from them).
    expect(compile(inputs[method])).toEqual(steps);
  });
});

describe("compilePlan: standalone", () => {
  const steps = compile({ method: "standalone", nodes: [{ applianceId: "a1", label: "cm-east" }], hops: [hop("2.11.2"), hop("2.14.0")] });
  const k = (kind: string, h = 1) => `node:a1:${kind}:hop${h}`;

  it("uses stable, readable keys", () => {
    expect(steps[0]?.key).toBe("node:a1:precheck:hop1");
    expect(steps.map((s) => s.key)).toContain("node:a1:upload-archive:hop1");
  });
  it("[U4] backs up and downloads the backup before ks_upgrade.sh runs", () => {
    expect(after(steps, k("backup"), k("run-upgrade"))).toBe(true);
  });
  it("[U6] uploads into ksadmin's home, then verifies the copy", () => {
    expect(key(steps, k("upload-archive")).title).toContain(REMOTE_ARCHIVE_DIRECTORY);
    expect(ordered(steps, [k("upload-archive"), k("verify-upload"), k("disk-check")])).toBe(true);
  });
  it("[U7] re-checks disk space with the archive in place, before running the script", () => {
    expect(ordered(steps, [k("verify-upload"), k("disk-check"), k("run-upgrade")])).toBe(true);
  });
  it("[U8][U9][U10] runs the script, reboots, waits, then checks the services", () => {
    expect(ordered(steps, [k("run-upgrade"), k("reboot"), k("wait-return"), k("postcheck"), k("cleanup")])).toBe(true);
    expect(key(steps, k("run-upgrade"))).toMatchObject({ archiveVersion: "2.11.2", forceFlag: false });
  });
  it("[U2] re-checks before every later hop, after the previous hop is clean", () => {
    expect(key(steps, k("precheck", 2)).dependsOn).toEqual([k("cleanup", 1)]);
    expect(after(steps, k("postcheck", 1), k("run-upgrade", 2))).toBe(true);
  });
  it("[U5] backs up again on the intermediate version before the next hop", () => {
    expect(steps.filter((s) => s.kind === "backup").map((s) => s.hop)).toEqual([1, 2]);
    const once = compile({ method: "standalone", nodes: nodes("a1"), hops: [hop("2.11.2"), hop("2.14.0")], options: { backupEveryHop: false } });
    expect(once.filter((s) => s.kind === "backup").map((s) => s.hop)).toEqual([1]);
  });
  it("[U2] a pass-through hop runs with -o", () => {
    const forced = compile({ method: "standalone", nodes: nodes("a1"), hops: [hop("2.14.1", true), hop("2.16.0")] });
    expect(key(forced, "node:a1:run-upgrade:hop1")).toMatchObject({ forceFlag: true });
    expect(key(forced, "node:a1:run-upgrade:hop1").title).toMatch(/with -o/);
    expect(key(forced, "node:a1:run-upgrade:hop2").forceFlag).toBe(false);
  });
  it("can keep the archive on the appliance", () => {
    const kept = compile({ method: "standalone", nodes: nodes("a1"), hops: [hop("2.11.0")], options: { cleanupArchive: false } });
    expect(kept.some((s) => s.kind === "cleanup")).toBe(false);
  });
  it("uses the node's label in titles", () => {
    expect(key(steps, k("reboot")).title).toBe("Reboot cm-east");
  });
  it("scales the upload deadline with the archive size, and honours overrides", () => {
    const big = compile({ method: "standalone", nodes: nodes("a1"), hops: [{ archiveVersion: "2.21.0", archiveSizeBytes: gib(40), forceFlag: false }], options: { deadlines: { reboot: 42 } } });
    expect(key(big, "node:a1:upload-archive:hop1").deadlineSeconds).toBeGreaterThan(1800);
    expect(key(big, "node:a1:reboot:hop1").deadlineSeconds).toBe(42);
  });
});

describe("compilePlan: refusals", () => {
  it.each([
    ["no nodes", { method: "standalone", nodes: [], hops: [hop("2.11.0")] }, "no-nodes"],
    ["two nodes standalone", { method: "standalone", nodes: nodes("a", "b"), hops: [hop("2.11.0")] }, "one-node-only"],
    ["no hops", { method: "online-rolling", nodes: nodes("a", "b"), hops: [] }, "no-hops"],
    ["the same node twice", { method: "online-rolling", nodes: nodes("a", "a"), hops: [hop("2.11.0")] }, "duplicate-node"],
    ["[D2] a two-step downgrade", { method: "downgrade", nodes: nodes("a"), hops: [hop("2.10.0"), hop("2.9.0")] }, "one-hop-only"],
    ["a hop without a version", { method: "standalone", nodes: nodes("a"), hops: [hop(" ")] }, "bad-hop"],
  ] as [string, CompilePlanInput, string][])("%s", (_name, input, code) => {
    const result = compilePlan(input);
    expect(result.ok ? "ok" : result.code).toBe(code);
  });
});

describe("compilePlan: online-rolling", () => {
  const steps = compile({ method: "online-rolling", nodes: nodes("n1", "n2", "n3"), hops: [hop("2.10.0"), hop("2.11.0")] });
  it("[O6] checks the whole cluster before anything", () => {
    expect(steps[0]?.key).toBe("plan:precheck:hop1");
    expect(after(steps, "plan:precheck:hop1", "node:n1:run-upgrade:hop1")).toBe(true);
  });
  it("[O5] takes a backup with its key before the first node goes down", () => {
    expect(after(steps, "node:n1:backup:hop1", "node:n1:run-upgrade:hop1")).toBe(true);
  });
  it("[O7] upgrades one node at a time, each healthy before the next starts", () => {
    expect(key(steps, "node:n2:precheck:hop1").dependsOn).toEqual(["node:n1:postcheck:hop1"]);
    expect(ordered(steps, ["node:n1:postcheck:hop1", "node:n2:run-upgrade:hop1", "node:n2:postcheck:hop1", "node:n3:run-upgrade:hop1"])).toBe(true);
  });
  it("[O7] lets uploads run ahead while the previous node upgrades", () => {
    expect(after(steps, "node:n1:run-upgrade:hop1", "node:n2:upload-archive:hop1")).toBe(false);
  });
  it("[O1][O4] finishes a release on every node before the next release starts", () => {
    expect(after(steps, "node:n3:postcheck:hop1", "node:n1:run-upgrade:hop2")).toBe(true);
    expect(key(steps, "plan:precheck:hop2").dependsOn).toEqual(["node:n1:cleanup:hop1", "node:n2:cleanup:hop1", "node:n3:cleanup:hop1"]);
  });
});

describe("compilePlan: offline-in-place", () => {
  const steps = compile({ method: "offline-in-place", nodes: nodes("n1", "n2", "n3"), hops: [hop("2.11.0")] });
  const each = (kind: string, tag = "") => ["n1", "n2", "n3"].map((n) => `node:${n}:${kind}${tag}:hop1`);
  it("[F4] takes a backup with its key before the REST API goes off", () => {
    for (const k of each("disable-rest")) expect(after(steps, "node:n1:backup:hop1", k)).toBe(true);
  });
  it("[F6][F11] a person confirms the node list before anything is uploaded", () => {
    const confirm = key(steps, "plan:operator-confirm:nodes-confirmed:hop1");
    expect(confirm.title).toContain("n1, n2, n3");
    for (const k of each("upload-archive")) expect(after(steps, confirm.key, k)).toBe(true);
  });
  it("[F6] prepares every node at once (no upload waits on another node)", () => {
    expect(after(steps, "node:n1:disk-check:hop1", "node:n2:upload-archive:hop1")).toBe(false);
  });
  it("[F9] a person confirms client traffic is stopped before the cluster goes offline", () => {
    const stopped = "plan:operator-confirm:clients-stopped:hop1";
    for (const k of each("disk-check")) expect(after(steps, k, stopped)).toBe(true);
    for (const k of each("disable-rest")) expect(after(steps, stopped, k)).toBe(true);
  });
  it("[F10] re-checks the uploads, disables REST on all, upgrades each, re-enables REST", () => {
    for (const k of each("disable-rest")) for (const v of each("verify-upload", ":before-upgrade")) expect(after(steps, v, k)).toBe(true);
    for (const run of each("run-upgrade")) for (const off of each("disable-rest")) expect(after(steps, off, run)).toBe(true);
    for (const on of each("enable-rest")) for (const back of each("wait-return")) expect(after(steps, back, on)).toBe(true);
  });
  it("[O3] upgrades the nodes one after another: the first migrates the shared schema", () => {
    expect(ordered(steps, ["node:n1:wait-return:hop1", "node:n2:run-upgrade:hop1", "node:n2:wait-return:hop1", "node:n3:run-upgrade:hop1"])).toBe(true);
  });
  it("[F12] clients resume only after every node is back and REST is on", () => {
    const resumed = "plan:operator-confirm:clients-resumed:hop1";
    for (const k of [...each("enable-rest"), ...each("postcheck")]) expect(after(steps, k, resumed)).toBe(true);
  });
});

describe("compilePlan: remove-rebuild", () => {
  const steps = compile({
    method: "remove-rebuild",
    nodes: [{ applianceId: "n1" }, { applianceId: "n2" }, { applianceId: "n3", hops: [hop("2.14.0")] }],
    hops: [hop("2.11.2"), hop("2.14.0")],
  });
  it("[R2] blocks clients first", () => {
    expect(after(steps, "plan:operator-confirm:clients-blocked", "node:n1:backup")).toBe(true);
    expect(after(steps, "plan:operator-confirm:clients-blocked", "node:n2:remove-node")).toBe(true);
  });
  it("[R3][R4] backs up from one node, then removes all the others one at a time", () => {
    expect(ordered(steps, ["node:n1:backup", "node:n2:remove-node", "node:n3:remove-node"])).toBe(true);
    expect(steps.filter((s) => s.kind === "remove-node").map((s) => s.applianceId)).toEqual(["n2", "n3"]);
  });
  it("[R5][R6] deletes the cluster on the remaining node, then upgrades it unclustered", () => {
    expect(ordered(steps, ["node:n3:remove-node", "node:n1:delete-cluster", "node:n1:upload-archive:hop1", "node:n1:disk-check:hop1", "node:n1:run-upgrade:hop1", "node:n1:reboot:hop1"])).toBe(true);
  });
  it("[R7] creates the new cluster after the remaining node's last hop", () => {
    expect(after(steps, "node:n1:postcheck:hop2", "node:n1:create-cluster")).toBe(true);
  });
  it("[R8][R9] each removed node has its old cluster deleted, then is upgraded from its own version", () => {
    expect(ordered(steps, ["node:n2:remove-node", "node:n2:delete-cluster", "node:n2:run-upgrade:hop1", "node:n2:run-upgrade:hop2"])).toBe(true);
    expect(steps.filter((s) => s.applianceId === "n3" && s.kind === "run-upgrade").map((s) => s.archiveVersion)).toEqual(["2.14.0"]);
  });
  it("[R10] joins the nodes to the new cluster one at a time", () => {
    expect(ordered(steps, ["node:n1:create-cluster", "node:n2:join-cluster", "node:n3:join-cluster"])).toBe(true);
  });
  it("[R11] restores client access at the very end", () => {
    const last = "plan:operator-confirm:clients-restored";
    expect(steps.filter((s) => s.key !== last && !after(steps, s.key, last))).toEqual([]);
  });
});

describe("compilePlan: downgrade", () => {
  const steps = compile({ method: "downgrade", nodes: nodes("a1"), hops: [hop("2.10.0", true)] });
  it("[D3] backs up before anything is wiped", () => {
    expect(after(steps, "node:a1:backup:hop1", "node:a1:run-downgrade:hop1")).toBe(true);
  });
  it("[D3][D5] a person confirms the wipe and that it is a test system", () => {
    const confirm = key(steps, "plan:operator-confirm:wipe-test-only:hop1");
    expect(confirm.title).toMatch(/wipes all its data except backup files.*test system/);
    expect(after(steps, confirm.key, "node:a1:run-downgrade:hop1")).toBe(true);
  });
  it("[D7] runs ks_downgrade.sh, with -o when forced", () => {
    const run = key(steps, "node:a1:run-downgrade:hop1");
    expect(run.title).toMatch(/ks_downgrade\.sh .* with -o/);
    expect(steps.some((s) => s.kind === "run-upgrade")).toBe(false);
  });
});

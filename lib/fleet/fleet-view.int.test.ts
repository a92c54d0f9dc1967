// The fleet view over a seeded fleet (scripts/seed-fleet.ts) plus a handful of hand-made rows whose
// verdict is known: the SQL agrees with lib/domain/compliance.ts row by row, counts agree with the
// rows, filters, search, sort and paging hold, golden versions resolve in order (own, highest rule,
// none), and the plan shown is the open one, else the latest.
import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestEnv, type TestEnv } from "@/lib/testing/test-env";
import { classifyCompliance, resolveGoldenVersion, COMPLIANCE_STATES } from "@/lib/domain/compliance";
import { compareVersions, parseVersion } from "@/lib/domain/version";
import { clusterTargetTags } from "@/lib/domain/campaign-selection";
import type { Actor } from "@/lib/audit/append-audit-event";
import { seedFleet } from "@/scripts/seed-fleet";
import { readFleetPage, type FleetRow } from "./fleet-view";
import { listGoldenRules, setApplianceGoldenVersion, setClusterGoldenVersion, setGoldenRules } from "./golden-versions";

let env: TestEnv;
const admin: Actor = { type: "user", id: null, name: "admin@fleet.test" };
const ids: Record<string, string> = {};

async function appliance(name: string, fields: { version?: string | null; status?: string; tags?: string[]; clusterId?: string; goldenVersion?: string; lastContactAt?: Date | null } = {}) {
  const identity = await env.db.sshIdentity.findFirstOrThrow({ select: { id: true } });
  const row = await env.db.appliance.create({
    data: {
      name, host: `${name}.test.invalid`, restUrl: `https://${name}.test.invalid`, sshIdentityId: identity.id, restUsername: "admin", restPasswordEncrypted: "-",
      sshHostKeyFingerprint: "-", restCertFingerprint: "-", restCertPem: "", version: fields.version === undefined ? "2.10.0+12807" : fields.version,
      status: fields.status ?? "ok", tags: fields.tags ?? [], clusterId: fields.clusterId ?? null, goldenVersion: fields.goldenVersion ?? null,
      lastContactAt: fields.lastContactAt === undefined ? new Date() : fields.lastContactAt,
    },
  });
  ids[name] = row.id;
  return row.id;
}

async function cluster(name: string, tags: string[], nodes: { version?: string | null; status?: string; tags?: string[] }[]) {
  const c = await env.db.cluster.create({ data: { name, tags } });
  ids[name] = c.id;
  for (const [i, n] of nodes.entries()) await appliance(`${name}-${i + 1}`, { ...n, clusterId: c.id });
  return c.id;
}

async function plan(applianceId: string, clusterId: string | null, state: string, daysAgo: number, lock = false) {
  const p = await env.db.upgradePlan.create({
    data: { applianceId, clusterId, method: clusterId ? "online-rolling" : "standalone", fromVersion: "2.10.0+12807", targetVersion: "2.11.0+13003", hops: [], state, createdBy: "test", createdAt: new Date(Date.now() - daysAgo * 86_400_000) },
  });
  if (lock) await env.db.applianceLock.create({ data: { applianceId, planId: p.id } });
  return p.id;
}

/** Every row of the fleet under `query`, page by page. */
async function allRows(query: Record<string, string>, pageSize = 200): Promise<FleetRow[]> {
  const rows: FleetRow[] = [];
  for (let page = 1; ; page++) {
    const p = await readFleetPage(env.db, { ...query, page: String(page), pageSize: String(pageSize) });
    rows.push(...p.rows);
    if (page >= p.pageCount) return rows;
  }
}

const row = async (name: string) => (await readFleetPage(env.db, { q: name })).rows.find((r) => r.name === name)!;
const plans: Record<string, string> = {};

beforeAll(async () => {
  env = await createTestEnv("fleet-view");
  await seedFleet(env.db, { count: 300 });
  await cluster("hc-par", ["site=paris"], [{ tags: ["env=prod"] }, { tags: ["env=prod", "rack=a"] }, { tags: ["env=prod"] }]);
  await cluster("hc-mix", [], [{ version: "2.10.0+12807" }, { version: "2.11.0+13003" }]);
  await cluster("hc-same", [], [{ tags: ["rack=b"] }, { tags: ["rack=b"] }]);
  await cluster("hc-cut", ["site=paris"], [{}, { status: "unreachable" }]);
  await appliance("hc-own", { tags: ["site=paris"], goldenVersion: "2.10.0+12807" });
  await appliance("hc-rule", { tags: ["env=lab", "site=paris"] });
  await appliance("hc-ahead", { version: "2.12.0+13519", tags: ["site=paris"] });
  await appliance("hc-none", { lastContactAt: null });
  await appliance("hc-never", { version: null, status: "unknown", lastContactAt: null });
  await appliance("hc-100%_x", {});
  await setGoldenRules(env.db, admin, { rules: [{ tag: "site=paris", version: "2.11.0+13003" }, { tag: "env=lab", version: "2.12.0+13519" }, { tag: "seed=scale", version: "2.10.0+12807" }] });
  plans.ownOld = await plan(ids["hc-own"]!, null, "succeeded", 5);
  plans.ownDraft = await plan(ids["hc-own"]!, null, "draft", 1);
  plans.ruleOld = await plan(ids["hc-rule"]!, null, "succeeded", 9);
  plans.ruleFailed = await plan(ids["hc-rule"]!, null, "failed", 2);
  plans.aheadFailedLocked = await plan(ids["hc-ahead"]!, null, "failed", 3, true);
  plans.aheadNewer = await plan(ids["hc-ahead"]!, null, "aborted", 1);
  plans.parRunning = await plan(ids["hc-par-1"]!, ids["hc-par"]!, "running", 4);
  plans.parNewer = await plan(ids["hc-par-2"]!, ids["hc-par"]!, "succeeded", 1);
}, 120_000);

afterAll(async () => {
  await env?.cleanup();
});

describe("readFleetPage", () => {
  it("judges every row as the domain rules do, and the counts agree with the rows", async () => {
    const rows = await allRows({}, 97);
    const rules = await listGoldenRules(env.db);
    const [clusters, standalones] = await Promise.all([env.db.cluster.findMany(), env.db.appliance.findMany({ where: { clusterId: null } })]);
    expect(rows).toHaveLength(clusters.length + standalones.length);
    expect(new Set(rows.map((r) => r.id)).size).toBe(rows.length);
    for (const r of rows) {
      const own = r.kind === "cluster" ? clusters.find((c) => c.id === r.id)! : standalones.find((a) => a.id === r.id)!;
      const tags = r.kind === "cluster" ? clusterTargetTags((own as { tags: string[] }).tags, r.nodes.map((n) => n.tags)) : own.tags;
      expect(r.tags, r.name).toEqual(tags);
      expect(r.golden, r.name).toEqual(resolveGoldenVersion(own.goldenVersion, tags, rules));
      expect(r.compliance, r.name).toBe(classifyCompliance(r.nodes, r.golden?.version ?? null).compliance);
    }
    const first = await readFleetPage(env.db, {});
    const tally = Object.fromEntries(COMPLIANCE_STATES.map((c) => [c, rows.filter((r) => r.compliance === c).length]));
    expect(first.counts).toEqual(tally);
    expect(first.total).toBe(rows.length);
    // The seeded fleet has every kind of row, so none of the checks above ran on an empty set.
    for (const c of COMPLIANCE_STATES) expect(tally[c], c).toBeGreaterThan(0);
  });

  it("resolves golden versions: its own first, else the highest rule of its tags (a cluster's shared node tags count), else none", async () => {
    expect((await row("hc-own")).golden).toEqual({ version: "2.10.0+12807", source: "own", tag: null });
    expect((await row("hc-own")).compliance).toBe("up-to-date");
    expect((await row("hc-rule")).golden).toEqual({ version: "2.12.0+13519", source: "rule", tag: "env=lab" });
    expect((await row("hc-rule")).compliance).toBe("behind");
    expect((await row("hc-ahead")).compliance).toBe("ahead");
    expect((await row("hc-none")).golden).toBeNull();
    expect((await row("hc-none")).compliance).toBe("no-golden");
    expect((await row("hc-never")).compliance).toBe("unreachable");
    expect((await row("hc-cut")).compliance).toBe("unreachable");
    expect((await row("hc-mix")).compliance).toBe("mixed");
    const par = await row("hc-par");
    expect(par.tags).toEqual(["env=prod", "site=paris"]);
    expect(par).toMatchObject({ kind: "cluster", golden: { source: "rule", tag: "site=paris" }, compliance: "behind", versions: ["2.10.0+12807"] });
    expect(par.nodes.map((n) => n.name)).toEqual(["hc-par-1", "hc-par-2", "hc-par-3"]);

    // A rule for a tag only the cluster's nodes share now decides, being higher.
    await setGoldenRules(env.db, admin, { rules: [...(await listGoldenRules(env.db)).map(({ tag, version }) => ({ tag, version })), { tag: "env=prod", version: "2.12.0+13519" }] });
    expect((await row("hc-par")).golden).toEqual({ version: "2.12.0+13519", source: "rule", tag: "env=prod" });
    // Its own golden version beats every rule; clearing it hands back to the rules.
    await setClusterGoldenVersion(env.db, admin, ids["hc-par"]!, { version: "2.10.0+12807" });
    expect(await row("hc-par")).toMatchObject({ golden: { version: "2.10.0+12807", source: "own" }, compliance: "up-to-date" });
    await setClusterGoldenVersion(env.db, admin, ids["hc-par"]!, { version: null });
    expect((await row("hc-par")).golden?.source).toBe("rule");
    await setApplianceGoldenVersion(env.db, admin, ids["hc-none"]!, { version: "2.11.0+13003" });
    expect((await row("hc-none")).compliance).toBe("behind");

    const audit = await env.db.auditEvent.findMany({ where: { action: { in: ["golden-version-set", "golden-rules-changed"] } }, orderBy: { id: "asc" } });
    expect(audit.map((a) => [a.action, a.subjectType])).toEqual([["golden-rules-changed", null], ["golden-rules-changed", null], ["golden-version-set", "cluster"], ["golden-version-set", "cluster"], ["golden-version-set", "appliance"]]);
    expect(audit[2]!.data).toEqual({ name: "hc-par", before: null, after: "2.10.0+12807" });
  });

  it("shows the open plan, else the latest: a draft, a failed plan still holding its lock, a running cluster plan", async () => {
    expect((await row("hc-own")).plan).toMatchObject({ id: plans.ownDraft, state: "draft", open: true });
    expect((await row("hc-rule")).plan).toMatchObject({ id: plans.ruleFailed, state: "failed", open: false });
    expect((await row("hc-ahead")).plan).toMatchObject({ id: plans.aheadFailedLocked, state: "failed", open: true });
    expect((await row("hc-par")).plan).toMatchObject({ id: plans.parRunning, state: "running", open: true });
    expect((await row("hc-none")).plan).toBeNull();
  });

  it("filters by compliance, kind, status, version and tag; the counts follow every filter but compliance", async () => {
    const behind = await readFleetPage(env.db, { compliance: "behind", pageSize: "200" });
    expect(behind.total).toBe(behind.counts.behind);
    expect(behind.rows.every((r) => r.compliance === "behind")).toBe(true);
    const all = await readFleetPage(env.db, {});
    expect(behind.counts).toEqual(all.counts);

    const clusters = await allRows({ kind: "cluster" });
    expect(clusters.length).toBeGreaterThan(0);
    expect(clusters.every((r) => r.kind === "cluster" && r.nodes.length >= 2)).toBe(true);
    const cut = await allRows({ status: "unreachable" });
    expect(cut.map((r) => r.name)).toContain("hc-cut");
    expect(cut.every((r) => r.nodes.some((n) => n.status === "unreachable"))).toBe(true);
    const line = await allRows({ version: "2.12" });
    expect(line.map((r) => r.name)).toContain("hc-ahead");
    expect(line.every((r) => r.nodes.some((n) => n.version?.startsWith("2.12.")))).toBe(true);
    const build = await allRows({ version: "2.11.0+13003" });
    expect(build.map((r) => r.name)).toContain("hc-mix");
    expect(build.every((r) => r.nodes.some((n) => n.version === "2.11.0+13003"))).toBe(true);
    const paris = await allRows({ tag: "site=paris" });
    expect(paris.map((r) => r.name).filter((n) => n.startsWith("hc-")).sort()).toEqual(["hc-ahead", "hc-cut", "hc-own", "hc-par", "hc-rule"]);
    expect((await allRows({ tag: "env=prod" })).map((r) => r.name)).toEqual(["hc-par"]);
    expect((await allRows({ tag: "rack=a" }))).toEqual([]);
    // Nodes that all carry the same tags give them to their cluster (the quick path of the SQL).
    expect((await allRows({ tag: "rack=b" })).map((r) => [r.name, r.tags])).toEqual([["hc-same", ["rack=b"]]]);
    const combined = await readFleetPage(env.db, { tag: "site=paris", kind: "appliance", compliance: "ahead" });
    expect(combined.rows.map((r) => r.name)).toContain("hc-ahead");
    expect(combined.counts.unreachable).toBe(paris.filter((r) => r.kind === "appliance" && r.compliance === "unreachable").length);
  });

  it("searches names and hosts, any case, a cluster by its nodes too, with % and _ taken literally", async () => {
    expect((await readFleetPage(env.db, { q: "HC-PAR-2" })).rows.map((r) => r.name)).toEqual(["hc-par"]);
    expect((await readFleetPage(env.db, { q: "seed-s00042" })).rows.map((r) => r.name)).toEqual(["seed-s00042"]);
    expect((await readFleetPage(env.db, { q: "seed-s00042.scale.INVALID" })).total).toBe(1);
    expect((await readFleetPage(env.db, { q: "100%_" })).rows.map((r) => r.name)).toEqual(["hc-100%_x"]);
    expect((await readFleetPage(env.db, { q: "hc-1%" })).total).toBe(0);
    const seeded = await readFleetPage(env.db, { q: "scale.invalid", pageSize: "1" });
    expect(seeded.total).toBe((await env.db.cluster.count({ where: { tags: { has: "seed=scale" } } })) + (await env.db.appliance.count({ where: { tags: { has: "seed=scale" }, clusterId: null } })));
  });

  it("pages without gaps or repeats in every sort, and sorts as it says", async () => {
    const total = (await readFleetPage(env.db, {})).total;
    for (const sort of ["name", "-name", "version", "-version", "last-contact", "-last-contact", "compliance"]) {
      const paged = await allRows({ sort }, 23);
      expect(paged.map((r) => r.id), sort).toEqual((await allRows({ sort }, 200)).map((r) => r.id));
      expect(new Set(paged.map((r) => r.id)).size, sort).toBe(total);
    }
    const byName = await allRows({ sort: "name" });
    expect(byName.map((r) => r.name)).toEqual([...byName.map((r) => r.name)].sort());
    const byVersion = (await allRows({ sort: "version" })).map((r) => r.versions[0]).filter((v): v is string => v !== undefined && parseVersion(v) !== null).map((v) => parseVersion(v)!);
    for (let i = 1; i < byVersion.length; i++) expect(compareVersions(byVersion[i - 1]!, byVersion[i]!)).toBeLessThanOrEqual(0);
    const stalest = await allRows({ sort: "last-contact" });
    const times = stalest.filter((r) => r.lastContactAt !== null).map((r) => r.lastContactAt!.getTime());
    expect(stalest.findIndex((r) => r.lastContactAt !== null)).toBe(stalest.filter((r) => r.lastContactAt === null).length);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    const worst = await allRows({ sort: "compliance" });
    expect(worst.map((r) => COMPLIANCE_STATES.indexOf(r.compliance))).toEqual(worst.map((r) => COMPLIANCE_STATES.indexOf(r.compliance)).sort((a, b) => a - b));

    const beyond = await readFleetPage(env.db, { page: "999", pageSize: "50" });
    expect(beyond).toMatchObject({ rows: [], total, pageCount: Math.ceil(total / 50) });
  });

  it("refuses a bad query with what was wrong and what it takes", async () => {
    await expect(readFleetPage(env.db, { compliance: "late" })).rejects.toThrow('compliance is one of unreachable, mixed, behind, ahead, up-to-date, no-golden, not "late"');
    await expect(readFleetPage(env.db, { pageSize: "201" })).rejects.toThrow("pageSize is at most 200: page through the rest");
    await expect(readFleetPage(env.db, { version: "two" })).rejects.toThrow("version is a release line like 2.10");
    await expect(readFleetPage(env.db, { page: "x" })).rejects.toThrow('page is a whole number from 1 to 1000000, not "x"');
    await expect(readFleetPage(env.db, { colour: "red" })).rejects.toThrow("Unknown parameter colour");
  });
});

describe("golden versions", () => {
  it("refuse what is not a version, a duplicate rule, a clustered node and an unknown target, changing nothing", async () => {
    const before = await listGoldenRules(env.db);
    await expect(setGoldenRules(env.db, admin, { rules: [{ tag: "site=paris", version: "latest" }] })).rejects.toThrow('"latest" is not a version: write a release like 2.11.0 or a build like 2.11.0+13003');
    await expect(setGoldenRules(env.db, admin, { rules: [{ tag: "Site=Paris", version: "2.11.0" }] })).rejects.toThrow('"Site=Paris" is not a tag');
    await expect(setGoldenRules(env.db, admin, { rules: [{ tag: "a=1", version: "2.11.0" }, { tag: "a=1", version: "2.12.0" }] })).rejects.toThrow("one rule per tag: a=1 appears twice");
    expect(await listGoldenRules(env.db)).toEqual(before);
    await expect(setApplianceGoldenVersion(env.db, admin, ids["hc-par-1"]!, { version: "2.11.0" })).rejects.toThrow("hc-par-1 is a node of cluster hc-par, and a node follows its cluster: set the golden version of cluster hc-par instead.");
    await expect(setClusterGoldenVersion(env.db, admin, crypto.randomUUID(), { version: "2.11.0" })).rejects.toMatchObject({ code: "not-found" });
    await expect(setClusterGoldenVersion(env.db, admin, ids["hc-mix"]!, {})).rejects.toMatchObject({ code: "bad-input" });
  });

  it("keep who set an unchanged rule when the set is saved again", async () => {
    const before = await listGoldenRules(env.db);
    await setGoldenRules(env.db, { ...admin, name: "someone-else" }, { rules: before.map(({ tag, version }) => ({ tag, version })) });
    expect(await listGoldenRules(env.db)).toEqual(before);
  });
});

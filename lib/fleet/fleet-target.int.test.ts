// The fleet view's stored rows ("FleetTarget", kept by database triggers) stay true after every
// kind of change a writer makes: a golden version or rule, an appliance's version after an
// upgrade, an appliance added or removed, a node joining or leaving a cluster, a cluster removed,
// and two transactions changing nodes of one cluster at once. After each change the stored rows
// equal a recomputation from scratch, and the row the page shows agrees with lib/domain.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestEnv, type TestEnv } from "@/lib/testing/test-env";
import { classifyCompliance } from "@/lib/domain/compliance";
import type { Actor } from "@/lib/audit/append-audit-event";
import { readFleetPage, type FleetRow } from "./fleet-view";
import { setApplianceGoldenVersion, setClusterGoldenVersion, setGoldenRules } from "./golden-versions";

let env: TestEnv;
const admin: Actor = { type: "user", id: null, name: "admin@fleet.test" };
const ids: Record<string, string> = {};

async function appliance(name: string, fields: { version?: string | null; status?: string; tags?: string[]; clusterId?: string | null } = {}) {
  const identity = await env.db.sshIdentity.upsert({ where: { name: "ft" }, create: { name: "ft", publicKey: "-", fingerprint: "-", encryptedPrivateKey: "-", createdBy: "test" }, update: {}, select: { id: true } });
  const row = await env.db.appliance.create({
    data: {
      name, host: `${name}.test.invalid`, restUrl: `https://${name}.test.invalid`, sshIdentityId: identity.id, restUsername: "admin", restPasswordEncrypted: "-",
      sshHostKeyFingerprint: "-", restCertFingerprint: "-", restCertPem: "", version: fields.version === undefined ? "2.10.0+12807" : fields.version,
      status: fields.status ?? "ok", tags: fields.tags ?? [], clusterId: fields.clusterId ?? null, lastContactAt: new Date(),
    },
  });
  ids[name] = row.id;
  return row.id;
}

/** The stored rows equal the rows computed from the tables now, for the whole fleet. */
async function expectStoredRowsTrue() {
  const stored = await env.db.$queryRaw<unknown[]>`SELECT to_jsonb(f) - 'id' || jsonb_build_object('id', f.id) AS r FROM "FleetTarget" f ORDER BY id`;
  const fresh = await env.db.$queryRaw<unknown[]>`
    SELECT to_jsonb(f) - 'id' || jsonb_build_object('id', f.id) AS r
    FROM fleet_classify(ARRAY(SELECT DISTINCT coalesce("clusterId", id) FROM "Appliance")) f ORDER BY id`;
  expect(stored).toEqual(fresh);
}

async function row(name: string): Promise<FleetRow | undefined> {
  return (await readFleetPage(env.db, { q: name, pageSize: "200" })).rows.find((r) => r.name === name);
}

/** The page's row as lib/domain judges its nodes against its golden version. */
async function expectRow(name: string, compliance: string) {
  await expectStoredRowsTrue();
  const r = await row(name);
  expect(r, name).toBeDefined();
  expect(r!.compliance, name).toBe(classifyCompliance(r!.nodes, r!.golden?.version ?? null).compliance);
  expect(r!.compliance, name).toBe(compliance);
  return r!;
}

beforeAll(async () => {
  env = await createTestEnv("fleet-target");
  ids.c = (await env.db.cluster.create({ data: { name: "ft-c", tags: ["site=oslo"] } })).id;
  for (const n of ["ft-c-1", "ft-c-2", "ft-c-3"]) await appliance(n, { clusterId: ids.c, tags: ["env=prod"] });
  await appliance("ft-s", { tags: ["site=oslo"] });
}, 60_000);

afterAll(async () => {
  await env?.cleanup();
});

describe("the fleet view's stored rows", () => {
  it("follow golden versions: a rule added, a target's own version set and cleared, a rule removed", async () => {
    await expectRow("ft-c", "no-golden");
    await setGoldenRules(env.db, admin, { rules: [{ tag: "site=oslo", version: "2.11.0+13003" }] });
    expect((await expectRow("ft-c", "behind")).golden).toEqual({ version: "2.11.0+13003", source: "rule", tag: "site=oslo" });
    await expectRow("ft-s", "behind");
    await setClusterGoldenVersion(env.db, admin, ids.c!, { version: "2.10.0+12807" });
    await expectRow("ft-c", "up-to-date");
    await setApplianceGoldenVersion(env.db, admin, ids["ft-s"]!, { version: "2.9.0" });
    await expectRow("ft-s", "ahead");
    await setClusterGoldenVersion(env.db, admin, ids.c!, { version: null });
    await expectRow("ft-c", "behind");
    // A rule for a tag every node shares decides for the cluster when it is higher.
    await setGoldenRules(env.db, admin, { rules: [{ tag: "site=oslo", version: "2.11.0+13003" }, { tag: "env=prod", version: "2.12.0" }] });
    expect((await expectRow("ft-c", "behind")).golden).toMatchObject({ tag: "env=prod" });
    await setGoldenRules(env.db, admin, { rules: [] });
    await expectRow("ft-c", "no-golden");
    await setGoldenRules(env.db, admin, { rules: [{ tag: "site=oslo", version: "2.11.0+13003" }] });
  });

  it("follow an appliance's version as an upgrade changes it, node by node, and its status", async () => {
    await env.db.appliance.update({ where: { id: ids["ft-c-1"] }, data: { version: "2.11.0+13003" } });
    expect((await expectRow("ft-c", "mixed")).versions).toEqual(["2.10.0+12807", "2.11.0+13003"]);
    await env.db.appliance.updateMany({ where: { id: { in: [ids["ft-c-2"]!, ids["ft-c-3"]!] } }, data: { version: "2.11.0+13003" } });
    await expectRow("ft-c", "up-to-date");
    expect((await readFleetPage(env.db, { version: "2.10", q: "ft-c" })).total).toBe(0);
    await env.db.appliance.update({ where: { id: ids["ft-c-2"] }, data: { status: "unreachable" } });
    await expectRow("ft-c", "unreachable");
    expect((await readFleetPage(env.db, { status: "unreachable", q: "ft-" })).rows.map((r) => r.name)).toEqual(["ft-c"]);
    await env.db.appliance.update({ where: { id: ids["ft-c-2"] }, data: { status: "ok" } });
    await expectRow("ft-c", "up-to-date");
  });

  it("follow appliances added and removed, with the counts on top", async () => {
    const before = await readFleetPage(env.db, {});
    await appliance("ft-new", { version: "2.12.0+13519", tags: ["site=oslo"] });
    await expectRow("ft-new", "ahead");
    const after = await readFleetPage(env.db, {});
    expect(after.total).toBe(before.total + 1);
    expect(after.counts.ahead).toBe(before.counts.ahead + 1);
    expect(after.facets.appliances).toBe(before.facets.appliances + 1);
    await env.db.appliance.delete({ where: { id: ids["ft-new"] } });
    await expectStoredRowsTrue();
    expect(await row("ft-new")).toBeUndefined();
    expect((await readFleetPage(env.db, {})).counts).toEqual(before.counts);
  });

  it("follow cluster membership: a node joining, its tags and version counting, a node leaving, a cluster removed", async () => {
    const joining = await appliance("ft-j", { version: "2.10.0+12807", tags: ["env=prod", "rack=z"] });
    await expectRow("ft-j", "no-golden");
    await env.db.appliance.update({ where: { id: joining }, data: { clusterId: ids.c } });
    expect(await row("ft-j")).toBeUndefined();
    const c = await expectRow("ft-c", "mixed");
    expect(c.nodes.map((n) => n.name)).toEqual(["ft-c-1", "ft-c-2", "ft-c-3", "ft-j"]);
    expect(c.tags).toEqual(["env=prod", "site=oslo"]);
    expect((await readFleetPage(env.db, { q: "ft-j.test.INVALID" })).rows.map((r) => r.name)).toEqual(["ft-c"]);
    expect((await readFleetPage(env.db, {})).facets.tags).toContain("rack=z");
    await env.db.appliance.update({ where: { id: joining }, data: { clusterId: null } });
    await expectRow("ft-c", "up-to-date");
    await expectRow("ft-j", "no-golden");

    const other = await env.db.cluster.create({ data: { name: "ft-d", tags: [] } });
    await env.db.appliance.updateMany({ where: { name: { in: ["ft-j", "ft-s"] } }, data: { clusterId: other.id } });
    // A cluster's tags and golden version are its own: ft-s's own golden version no longer counts.
    expect((await expectRow("ft-d", "no-golden")).nodes.map((n) => n.name)).toEqual(["ft-j", "ft-s"]);
    expect(await row("ft-s")).toBeUndefined();
    // Removing the cluster hands its nodes back as standalone appliances.
    await env.db.appliance.updateMany({ where: { clusterId: other.id }, data: { clusterId: null } });
    await env.db.cluster.delete({ where: { id: other.id } });
    await expectStoredRowsTrue();
    expect(await row("ft-d")).toBeUndefined();
    await expectRow("ft-s", "ahead");
  });

  it("lose no change when two transactions change nodes of one cluster at once", async () => {
    let releaseFirst!: () => void;
    const firstHolds = new Promise<void>((resolve) => { releaseFirst = resolve; });
    let firstWrote!: () => void;
    const wrote = new Promise<void>((resolve) => { firstWrote = resolve; });
    const first = env.db.$transaction(async (tx) => {
      await tx.appliance.update({ where: { id: ids["ft-c-1"] }, data: { version: "2.12.0+13519" } });
      firstWrote();
      await firstHolds;
    }, { timeout: 30_000 });
    await wrote;
    // The second waits for the first's turn on the cluster's row, then reads what it committed.
    const second = env.db.appliance.update({ where: { id: ids["ft-c-2"] }, data: { version: "2.12.0+13519" } });
    await new Promise((r) => setTimeout(r, 300));
    releaseFirst();
    await Promise.all([first, second]);
    const c = await expectRow("ft-c", "mixed");
    expect(c.versions).toEqual(["2.11.0+13003", "2.12.0+13519"]);
  });
});

// What wipes a node, over real sockets: ks_downgrade.sh on a clustered node (refused without -o,
// only to the documented version, wiping all but backup files [D1][D2][D3]), a factory reset [I],
// and backup restore, which never takes a backup made on a newer version [U5][D6].
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SimulatedAppliance } from "./appliance";
import { makeSignedArchive, type MadeArchive } from "./archives";
import { connectSsh, fastPut, openSftp, run, tempDir, type ClientKey } from "./testing/clients";
import { apiOf, eventually, nodeList, startTestCluster, type Api, type TestCluster } from "./testing/cluster-harness";
import { startTestAppliance, type TestAppliance } from "./testing/harness";

let work: string;
let down210: MadeArchive;
let down29: MadeArchive;
let up211: MadeArchive;
beforeAll(async () => {
  work = tempDir();
  down210 = await makeSignedArchive({ dir: work, version: "2.10.0+12807", kind: "downgrade", sizeBytes: 32 * 1024 });
  down29 = await makeSignedArchive({ dir: work, version: "2.9.0+11937", kind: "downgrade", sizeBytes: 32 * 1024 });
  up211 = await makeSignedArchive({ dir: work, version: "2.11.0+13003", sizeBytes: 32 * 1024 });
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

async function put(n: SimulatedAppliance, key: ClientKey, archive: MadeArchive): Promise<string> {
  const client = await connectSsh(n, key);
  const remote = `/home/ksadmin/${path.basename(archive.path)}`;
  await fastPut(await openSftp(client), archive.path, remote);
  client.end();
  return remote;
}

const started = (s: SimulatedAppliance["state"]) => s.phase === "up" && s.services.every((x) => x.status === "started");

async function completedBackup(api: Api): Promise<string> {
  const id = ((await api.post("/api/v1/backups", { scope: "system", description: "test" })).json as { id: string }).id;
  await eventually("backup", async () => ((await api.json<{ status: string }>(`/api/v1/backups/${id}`)).status === "completed" ? true : undefined));
  return id;
}

describe("downgrading a cluster node", () => {
  let t: TestCluster;
  beforeAll(async () => {
    t = await startTestCluster({ defaults: { version: "2.11.0+13003" } });
  });
  afterAll(() => t.stop());

  it("[D1] [D2] refuses without -o, and with -o refuses anything but the documented 2.10", async () => {
    const b = t.nodes[1]!;
    const plain = await run(b, t.key, `sudo /opt/keysecure/ks_downgrade.sh -f ${await put(b, t.key, down210)}`);
    expect(plain.code).toBe(1);
    expect(plain.stderr).toMatch(/part of a cluster and cannot be downgraded; use -o/);
    const skip = await run(b, t.key, `sudo /opt/keysecure/ks_downgrade.sh -f ${await put(b, t.key, down29)} -o`);
    expect(skip.code).toBe(1);
    expect(skip.stderr).toMatch(/can be downgraded only to 2\.10, not to 2\.9\.0\+11937/);
  });

  it("[D3] with -o the reboot wipes cluster configuration, properties and keys, keeps backup files; peers see it down", async () => {
    const [a, b] = [t.nodes[0]!, t.nodes[1]!];
    const apiB = apiOf(b);
    const backup = await completedBackup(apiB);
    await apiB.patch("/api/v1/configs/properties/ENABLE_RECORDS_DB_STORE", { value: "true" });
    const keysBefore = (await apiB.json<{ resources: { id: string }[] }>("/api/v1/backupkeys")).resources.map((k) => k.id);
    const r = await run(b, t.key, `sudo /opt/keysecure/ks_downgrade.sh -f /home/ksadmin/${path.basename(down210.path)} -o`);
    expect(r.code).toBe(0);
    await b.reboot();
    await b.waitFor(started);

    expect(await apiB.json("/api/v1/cluster")).toMatchObject({ nodeID: "", status: { code: "none" } });
    expect(await apiB.json("/api/v1/system/info")).toMatchObject({ version: "2.10.0+12807" });
    expect(await apiB.json("/api/v1/configs/properties/ENABLE_RECORDS_DB_STORE")).toMatchObject({ value: "false" });
    const keysAfter = (await apiB.json<{ resources: { id: string }[] }>("/api/v1/backupkeys")).resources.map((k) => k.id);
    expect(keysAfter.filter((k) => keysBefore.includes(k))).toEqual([]);
    expect((await apiB.get(`/api/v1/backups/${backup}/download`)).status).toBe(200);

    const seen = (await nodeList(apiOf(a))).find((n) => n.host === b.host)!;
    expect(seen.status.code).toBe("d");
    expect(await apiOf(a).json("/api/v1/configs/properties/ENABLE_RECORDS_DB_STORE")).toMatchObject({ value: "true" });
    expect((await apiOf(a).del(`/api/v1/nodes/${seen.nodeID}`)).status).toBe(204);
    await eventually("b gone from a's list", async () => ((await nodeList(apiOf(a))).length === 2 ? true : undefined));
  });

  it("a factory reset (our inference) takes a node out of its cluster: peers see it down", async () => {
    const [a, c] = [t.nodes[0]!, t.nodes[2]!];
    expect((await apiOf(c).post("/api/v1/system/factory-reset")).status).toBe(202);
    await c.waitFor((s) => s.rebooting);
    await c.waitFor((s) => started(s) && s.cluster === null);
    expect(await apiOf(c).json("/api/v1/cluster")).toMatchObject({ status: { code: "none" } });
    expect((await nodeList(apiOf(a))).find((n) => n.host === c.host)?.status.code).toBe("d");
  });
});

describe("factory reset and restore on a standalone appliance", () => {
  let t: TestAppliance;
  beforeAll(async () => {
    t = await startTestAppliance({ version: "2.10.0+12807" });
  });
  afterAll(() => t.stop());

  it("[D6] [U5] back to the factory firmware with backups kept; a newer backup is refused, an older one restores", async () => {
    const api = apiOf(t.appliance);
    await api.patch("/api/v1/configs/properties/ENABLE_RECORDS_DB_STORE", { value: "true" });
    const older = await completedBackup(api);
    const remote = await put(t.appliance, t.key, up211);
    expect((await run(t.appliance, t.key, `sudo /opt/keysecure/ks_upgrade.sh -f ${remote}`)).code).toBe(0);
    await t.appliance.reboot();
    await t.appliance.waitFor(started);
    const newer = await completedBackup(api);

    expect((await api.post("/api/v1/system/factory-reset")).status).toBe(202);
    await t.appliance.waitFor((s) => started(s) && s.version === "2.10.0+12807");
    expect(await api.json("/api/v1/configs/properties/ENABLE_RECORDS_DB_STORE")).toMatchObject({ value: "false" });
    const listed = (await api.json<{ resources: { id: string; version: string }[] }>("/api/v1/backups")).resources;
    expect(listed.map((b) => [b.id, b.version]).sort()).toEqual([[older, "2.10.0+12807"], [newer, "2.11.0+13003"]].sort());

    const refused = await api.post(`/api/v1/backups/${newer}/restore`);
    expect(refused.status).toBe(409);
    expect(refused.json).toMatchObject({ message: expect.stringMatching(/made on 2\.11\.0\+13003, newer than the running 2\.10\.0\+12807/) });
    expect((await api.post(`/api/v1/backups/${older}/restore`)).status).toBe(202);
    await t.appliance.waitFor(started);
    expect(await api.json("/api/v1/configs/properties/ENABLE_RECORDS_DB_STORE")).toMatchObject({ value: "true" });
    const events = t.appliance.record.filter((e) => e.channel === "event").map((e) => e.what);
    expect(events).toEqual(expect.arrayContaining([expect.stringMatching(/^factory reset: firmware 2\.11\.0\+13003 -> 2\.10\.0\+12807/), `backup ${older} (2.10.0+12807) restored`]));
  });
});

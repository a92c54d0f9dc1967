// An online in-place upgrade of a 3-node cluster over real sockets: the first node locks the
// shared database for a moment [O3], a node being upgraded is down for its peers [O2], mixed
// versions show [O4], and the record proves each node was upgraded once, in order [O7].
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SimulatedAppliance } from "./appliance";
import { makeSignedArchive } from "./archives";
import { connectSsh, fastPut, openSftp, run, tempDir } from "./testing/clients";
import { apiOf, eventually, nodeList, startTestCluster, type TestCluster } from "./testing/cluster-harness";

const FROM = "2.10.0+12807";
const TO = "2.11.0+13003";
let t: TestCluster;
let work: string;
let remote: string;

// 0.01: an upgrade takes 1 s, the lock 0.3 s, a reboot and service start 0.3 s each.
beforeAll(async () => {
  work = tempDir();
  t = await startTestCluster({ defaults: { version: FROM, timeScale: 0.01, upgradeSeconds: 100, dbLockSeconds: 30, rebootSeconds: 30, serviceStartSeconds: 30 } });
  const archive = await makeSignedArchive({ dir: work, version: TO, sizeBytes: 64 * 1024 });
  remote = `/home/ksadmin/${path.basename(archive.path)}`;
  for (const n of t.nodes) {
    const client = await connectSsh(n, t.key);
    await fastPut(await openSftp(client), archive.path, remote);
    client.end();
  }
});
afterAll(async () => {
  await t.stop();
  fs.rmSync(work, { recursive: true, force: true });
});

const node = (i: number) => t.nodes[i]!;
const statusIn = async (viewer: SimulatedAppliance, subject: SimulatedAppliance) =>
  (await nodeList(apiOf(viewer))).find((n) => n.host === subject.host)?.status.code;

async function rebootAndWait(n: SimulatedAppliance): Promise<void> {
  expect((await run(n, t.key, "sudo reboot")).dropped).toBe(true);
  await n.waitFor((s) => s.phase === "up" && s.services.every((x) => x.status === "started"), 10_000);
}

interface Summary {
  status: { code: string; description: string };
  versions: string[];
  nodes: { host: string; version: string; status: { code: string } }[];
}

describe("online in-place upgrade of a cluster", () => {
  it("[O3] [O2] the first node's upgrade locks the shared database: every other node answers 503, then recovers", async () => {
    const [a, b, c] = [node(0), node(1), node(2)];
    const [apiB, apiC] = [apiOf(b), apiOf(c)];
    await apiB.json("/api/v1/system/info");
    await apiC.json("/api/v1/system/info");
    const upgrading = run(a, t.key, `sudo /opt/keysecure/ks_upgrade.sh -f ${remote}`);
    await eventually("a down for b while it upgrades", async () => ((await statusIn(b, a)) === "d" ? true : undefined), 5_000, 10);
    const lockedAt = await Promise.all([apiB, apiC].map((api) =>
      eventually("the lock", async () => {
        const r = await api.get("/api/v1/system/info");
        return r.status === 503 ? r : undefined;
      }, 5_000, 10),
    ));
    for (const r of lockedAt) {
      expect(r.json).toMatchObject({ code: 11, codeDesc: "NCERRServiceUnavailable", message: expect.stringMatching(/locked for the schema upgrade to 2\.11\.0\+13003/) });
    }
    await eventually("b serves again", async () => ((await apiB.get("/api/v1/nodes")).status === 200 ? true : undefined), 5_000, 10);
    expect((await upgrading).code).toBe(0);
    await rebootAndWait(a);
    await eventually("a ready again for b", async () => ((await statusIn(b, a)) === "r" ? true : undefined));
    expect(await apiOf(a).json("/api/v1/system/info")).toMatchObject({ version: TO });
  });

  it("[O4] mixed versions show in the cluster summary of every node", async () => {
    for (const n of t.nodes) {
      const s = await apiOf(n).json<Summary>("/api/v1/cluster/summary");
      expect(s.status).toEqual({ code: "x", description: "nodes are in different states across databases" });
      expect(s.versions.sort()).toEqual([FROM, TO]);
      expect(s.nodes.map((x) => [x.host, x.version])).toEqual([[node(0).host, TO], [node(1).host, FROM], [node(2).host, FROM]]);
    }
  });

  it("[O7] the other nodes upgrade one at a time without a lock; the record shows each once, in order", async () => {
    for (const [n, watcher] of [[node(1), node(2)], [node(2), node(0)]] as const) {
      const api = apiOf(watcher);
      await api.json("/api/v1/system/info");
      const upgrading = run(n, t.key, `sudo /opt/keysecure/ks_upgrade.sh -f ${remote}`);
      const answers = new Set<number>();
      let done = false;
      void upgrading.then(() => (done = true));
      while (!done) {
        answers.add((await api.get("/api/v1/system/info")).status);
        await new Promise((r) => setTimeout(r, 10));
      }
      expect([...answers]).toEqual([200]);
      expect((await upgrading).code).toBe(0);
      await rebootAndWait(n);
    }
    const s = await eventually("all ready", async () => {
      const sum = await apiOf(node(0)).json<Summary>("/api/v1/cluster/summary");
      return sum.status.code === "r" ? sum : undefined;
    });
    expect(s.versions).toEqual([TO]);

    const record = t.fleet.record();
    const upgrades = record.filter((e) => e.what.includes("ks_upgrade.sh"));
    expect(upgrades.map((e) => [e.appliance, e.exitCode])).toEqual(t.nodes.map((n) => [n.name, 0]));
    const applied = record.filter((e) => e.what === `firmware ${FROM} -> ${TO} (upgrade)`).map((e) => e.appliance);
    expect(applied).toEqual(t.nodes.map((n) => n.name));
    expect(record.filter((e) => e.what.startsWith("cluster database locked")).map((e) => e.appliance)).toEqual([node(0).name]);
  });
});

// The driver's cluster calls against a simulated cluster over real sockets, as a worker would use
// them: create, join through a member one at a time, discover members, remove, leave, delete a
// stale configuration [R9]; and factory reset with restore, which refuses a newer backup [U5].
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { createRestClient, deleteClusterConfig, disableClientTraffic, enableClientTraffic, openSshSession, type ClusterInfo, type RestClient } from "./index";
import { joinCluster, waitForClusterStatus } from "./rest-client";
import { startSimulatedCluster, type SimulatedCluster } from "./testing/simulated-cluster";
import { startSimulatedTarget } from "./testing/simulated-appliance";

async function rejection(p: Promise<unknown>): Promise<AppError> {
  const e = await p.then(() => null, (err: unknown) => err);
  expect(e).toBeInstanceOf(AppError);
  return e as AppError;
}

const fast = { timeoutMs: 15_000, pollMs: 20 };
const isReady = (info: ClusterInfo) => info.status.code === "r";
const isRemoved = (info: ClusterInfo) => info.status.code === "v";

describe("cluster membership through the driver", () => {
  let c: SimulatedCluster;
  let rest: RestClient[];
  beforeAll(async () => {
    // A join lasts 0.6 s here, so a second one lands while the first runs.
    c = await startSimulatedCluster({ formed: false, defaults: { joinSeconds: 300, removeSeconds: 50, createClusterSeconds: 20 } });
    rest = c.nodes.map((n) => createRestClient(n.endpoint, n.credentials, n.trust));
  });
  afterAll(async () => {
    rest.forEach((r) => r.close());
    await c.stop();
  });

  it("creates a cluster and joins the others one at a time; a join meanwhile is refused with the appliance's words", async () => {
    const [a, b, d] = rest as [RestClient, RestClient, RestClient];
    expect((await a.createCluster()).status.code).toBe("creating");
    await waitForClusterStatus(a, isReady, fast);
    expect((await joinCluster(b, a)).status.code).toBe("b");
    const busy = await rejection(joinCluster(d, a));
    expect(busy.code).toBe("appliance-refused");
    expect(busy.details).toMatchObject({ httpStatus: 409, codeDesc: "NCERRConflict" });
    expect(busy.message).toMatch(/one at a time/);
    await waitForClusterStatus(b, isReady, fast);
    await joinCluster(d, a);
    await waitForClusterStatus(d, isReady, fast);
  });

  it("discovers every member from any node: the address to reach it, and the entry node's ports", async () => {
    const nodes = await rest[2]!.nodes();
    expect(nodes.map((n) => [n.host, n.port, n.status.code, n.isThisNode])).toEqual(c.nodes.map((n, i) => [n.endpoint.host, 5432, "r", i === 2]));
    // Real nodes all listen on 22 and 443; the simulated ones share a port pair.
    expect(new Set(c.nodes.map((n) => `${n.endpoint.sshPort} ${new URL(n.endpoint.restUrl).port}`)).size).toBe(1);
    const summary = await rest[0]!.clusterSummary();
    expect(summary.versions).toEqual(["2.10.0+12345"]);
    expect(summary.nodes).toHaveLength(3);
  });

  it("[R4] [R9] [R10] removes a node, deletes its stale configuration over SSH, and joins it again", async () => {
    const [a, , d] = rest as [RestClient, RestClient, RestClient];
    const { nodeID } = await d.cluster();
    await a.removeNode(nodeID);
    await waitForClusterStatus(d, isRemoved, fast);
    expect(await rejection(joinCluster(d, a))).toMatchObject({ code: "appliance-refused", message: expect.stringMatching(/ksctl cluster delete/) });
    const s = await openSshSession(c.nodes[2]!.endpoint, c.nodes[2]!.credentials, c.nodes[2]!.trust);
    await deleteClusterConfig(s);
    await s.close();
    expect((await d.cluster()).status.code).toBe("none");
    await joinCluster(d, a);
    await waitForClusterStatus(d, isReady, fast);
    expect(await a.nodes()).toHaveLength(3);
  });

  it("waits out 503s (a node with its API gateway stopped) until the status holds", async () => {
    const s = await openSshSession(c.nodes[0]!.endpoint, c.nodes[0]!.credentials, c.nodes[0]!.trust);
    await disableClientTraffic(s);
    const attempt = await rejection(rest[0]!.cluster());
    expect(attempt.code).toBe("appliance-unreachable");
    const waiting = waitForClusterStatus(rest[0]!, isReady, fast);
    await new Promise((r) => setTimeout(r, 150));
    await enableClientTraffic(s);
    expect((await waiting).status.code).toBe("r");
    await s.close();
  });

  it("[R5] leaveCluster: a member leaves; the last node deletes the cluster", async () => {
    const [a, b, d] = rest as [RestClient, RestClient, RestClient];
    for (const leaving of [b, d]) {
      await leaving.leaveCluster();
      await waitForClusterStatus(leaving, isRemoved, fast);
      await leaving.leaveCluster();
      expect((await leaving.cluster()).status.code).toBe("none");
    }
    await a.leaveCluster();
    expect(await a.cluster()).toMatchObject({ nodeID: "", status: { code: "none" } });
  });
});

describe("factory reset and restore through the driver", () => {
  it("[D6] [U5] resets to the factory firmware; a newer backup is refused, an older one restores", async () => {
    const t = await startSimulatedTarget({ version: "2.11.0+13003", factoryVersion: "2.10.0+12807" });
    const rest = createRestClient(t.endpoint, t.credentials, t.trust);
    try {
      const newer = await rest.waitForBackup((await rest.createBackup({ description: "on 2.11" })).id, fast);
      await rest.factoryReset();
      await t.appliance.waitFor((s) => s.version === "2.10.0+12807" && s.phase === "up" && s.services.every((x) => x.status === "started"));
      const refused = await rejection(rest.restoreBackup(newer.id));
      expect(refused).toMatchObject({ code: "appliance-refused", details: { httpStatus: 409 } });
      expect(refused.message).toMatch(/newer than the running 2\.10\.0\+12807/);
      await rest.setProperty("ENABLE_RECORDS_DB_STORE", "true");
      const older = await rest.waitForBackup((await rest.createBackup({ description: "on 2.10" })).id, fast);
      await rest.setProperty("ENABLE_RECORDS_DB_STORE", "false");
      await rest.restoreBackup(older.id);
      await t.appliance.waitFor((s) => s.services.every((x) => x.status === "started"));
      expect((await rest.getProperty("ENABLE_RECORDS_DB_STORE"))?.value).toBe("true");
    } finally {
      rest.close();
      await t.stop();
    }
  });
});

// Forming a cluster over real sockets as a console would (new, csr, sign, join), what every node
// then tells about it, joins and removals one at a time, and deleting stale configurations [R9].
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { run } from "./testing/clients";
import { apiOf, eventually, joinOverRest, nodeList, startTestCluster, type TestCluster } from "./testing/cluster-harness";

let t: TestCluster;
// Creation, joins and removals last a second each here, so a second request lands while the first
// runs even on a loaded machine (at 0.1 s a busy CI machine once finished creating before the join came).
beforeAll(async () => {
  t = await startTestCluster({ formed: false, defaults: { joinSeconds: 500, removeSeconds: 500, createClusterSeconds: 500 } });
});
afterAll(() => t.stop());

const node = (i: number) => t.nodes[i]!;
const code = async (i: number) => (await apiOf(node(i)).json<{ status: { code: string } }>("/api/v1/cluster")).status.code;
const ready = (i: number) => eventually(`${node(i).name} ready`, async () => ((await code(i)) === "r" ? true : undefined));

describe("forming a cluster", () => {
  it("starts unclustered, each node on its own address and the same ports", async () => {
    const [a, b, c] = [node(0), node(1), node(2)];
    expect(new Set([a.host, b.host, c.host]).size).toBe(3);
    expect(new Set([a.sshPort, b.sshPort, c.sshPort]).size).toBe(1);
    expect(new Set([a.restPort, b.restPort, c.restPort]).size).toBe(1);
    expect((await apiOf(a).json("/api/v1/cluster"))).toEqual({ nodeID: "", status: { code: "none", description: "not clustered" } });
    expect(await nodeList(apiOf(a))).toEqual([]);
  });

  it("creates a cluster on the first node: creating, then ready", async () => {
    const r = await apiOf(node(0)).post("/api/v1/cluster/new", { localNodeHost: node(0).host, localNodePort: 5432, publicAddress: node(0).host });
    expect(r.status).toBe(201);
    expect(r.json).toMatchObject({ nodeID: expect.any(String), status: { code: "creating" }, nodeCount: 1 });
    expect((await joinOverRest(node(1), node(0))).status).toBe(409);
    await ready(0);
  });

  it("joins the others one at a time: b, i, c, o, then ready; a second join meanwhile is refused", async () => {
    const first = await joinOverRest(node(1), node(0));
    expect(first.status).toBe(200);
    expect(first.json).toMatchObject({ status: { code: "b" }, nodeCount: 2 });
    const second = await joinOverRest(node(2), node(0));
    expect(second.status).toBe(409);
    expect(second.json).toMatchObject({ codeDesc: "NCERRConflict", message: expect.stringMatching(/one at a time/) });
    const seen = new Set<string>();
    await eventually("node 2 ready", async () => {
      const c = await code(1);
      seen.add(c);
      return c === "r" ? true : undefined;
    });
    expect([...seen].every((c) => ["b", "i", "c", "o", "r"].includes(c))).toBe(true);
    expect((await joinOverRest(node(2), node(0))).status).toBe(200);
    await ready(2);
  });

  it("every node lists the same three members, itself once, with its address and port 5432", async () => {
    const lists = await Promise.all(t.nodes.map((n) => nodeList(apiOf(n))));
    const ids = lists[0]!.map((n) => n.nodeID);
    expect(ids).toHaveLength(3);
    lists.forEach((list, i) => {
      expect(list.map((n) => n.nodeID)).toEqual(ids);
      expect(list.filter((n) => n.isThisNode).map((n) => n.host)).toEqual([node(i).host]);
      expect(list.map((n) => [n.host, n.port, n.publicAddress, n.status.code])).toEqual(t.nodes.map((x) => [x.host, 5432, x.host, "r"]));
    });
    const info = await apiOf(node(1)).json<{ nodeID: string; nodeCount: number }>("/api/v1/cluster");
    expect(info).toMatchObject({ nodeID: ids[1], nodeCount: 3 });
  });

  it("refuses a CSR on a member, and signs only a real CSR", async () => {
    const r = await apiOf(node(0)).post("/api/v1/cluster/csr", {});
    expect(r.status).toBe(409);
    expect(r.json).toMatchObject({ message: expect.stringMatching(/already a member/) });
    expect((await apiOf(node(0)).post("/api/v1/nodes", { csr: "not a csr", newNodeHost: "127.0.0.99" })).status).toBe(400);
  });
});

describe("removing nodes", () => {
  it("removes one at a time: `m` for a while, then gone; a second removal meanwhile is refused", async () => {
    const a = apiOf(node(0));
    const [, second, third] = await nodeList(a);
    expect((await a.del(`/api/v1/nodes/${third!.nodeID}`)).status).toBe(204);
    expect((await nodeList(apiOf(node(1)))).find((n) => n.nodeID === third!.nodeID)?.status).toEqual({ code: "m", description: "removing" });
    const again = await a.del(`/api/v1/nodes/${second!.nodeID}`);
    expect(again.status).toBe(409);
    expect((await a.del(`/api/v1/nodes/${(await nodeList(a))[0]!.nodeID}`)).status).toBe(400);
    await eventually("node 3 gone", async () => ((await nodeList(a)).length === 2 ? true : undefined));
  });

  it("[R9] the removed node keeps a stale configuration: it may not join until ksctl cluster delete clears it", async () => {
    const c = apiOf(node(2));
    expect(await c.json("/api/v1/cluster")).toMatchObject({ status: { code: "v", description: "removed" } });
    expect((await nodeList(c)).map((n) => [n.status.code, n.isThisNode])).toEqual([["v", true]]);
    const csr = await c.post("/api/v1/cluster/csr", {});
    expect(csr.status).toBe(409);
    expect(csr.json).toMatchObject({ message: expect.stringMatching(/still holds the configuration .*ksctl cluster delete/) });

    const member = await run(node(1), t.key, "ksctl cluster delete -y");
    expect(member.code).toBe(1);
    expect(member.stderr).toMatch(/one of 2 nodes .* remove it from the cluster first/);
    const cleared = await run(node(2), t.key, "ksctl cluster delete -y");
    expect(cleared.code).toBe(0);
    expect(await c.json("/api/v1/cluster")).toMatchObject({ status: { code: "none" } });
    expect((await c.post("/api/v1/cluster/csr", {})).status).toBe(200);
  });

  it("refuses a join with a certificate for an older CSR, a foreign address, or a member nobody answers", async () => {
    const c = apiOf(node(2));
    const first = (await c.post("/api/v1/cluster/csr", {})).json as { csr: string };
    const grant = (await apiOf(node(0)).post("/api/v1/nodes", { csr: first.csr, newNodeHost: node(2).host })).json as Record<string, string>;
    const join = (extra: Record<string, unknown>) => c.post("/api/v1/cluster/join", { ...grant, memberNodeHost: node(0).host, ...extra });
    expect((await join({ localNodeHost: "10.1.2.3" })).json).toMatchObject({ code: 10, message: expect.stringMatching(/not an address of this node/) });
    const nobody = await join({ memberNodeHost: "127.0.0.250" });
    expect(nobody.status).toBe(500);
    expect(nobody.json).toMatchObject({ message: expect.stringMatching(/cannot reach the member node: .*connection refused/) });
    await c.post("/api/v1/cluster/csr", {});
    expect((await join({})).json).toMatchObject({ message: expect.stringMatching(/does not answer this node's current CSR/) });
  });

  it("DELETE /v1/cluster leaves (then a stale configuration), and on the last node deletes the cluster [R5]", async () => {
    const b = apiOf(node(1));
    const left = await b.del("/api/v1/cluster");
    expect(left.status).toBe(202);
    expect(left.json).toMatchObject({ status: { code: "m" } });
    await eventually("node 2 left", async () => ((await code(1)) === "v" ? true : undefined));
    expect(await nodeList(apiOf(node(0)))).toHaveLength(1);
    expect((await run(node(0), t.key, "ksctl cluster delete -y")).code).toBe(0);
    expect(await code(0)).toBe("none");
    expect((await b.del("/api/v1/cluster")).status).toBe(204);
    expect(await code(1)).toBe("none");
    const record = t.fleet.record().filter((e) => e.channel === "event").map((e) => `${e.appliance}: ${e.what}`);
    expect(record.some((l) => l.startsWith(`${node(2).name}: cluster: joined`))).toBe(true);
    expect(record.some((l) => l.startsWith(`${node(0).name}: cluster: configuration of cluster`))).toBe(true);
  });
});

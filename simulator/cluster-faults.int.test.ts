// Cluster faults switched on one node, seen from its peers over real sockets: down, killed,
// unknown, different states, a reboot, the API gateway stopped, a join that hangs, and the
// cluster-wide audit-records property [F8].
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SimulatedAppliance } from "./appliance";
import { probePort, run } from "./testing/clients";
import { apiOf, eventually, joinOverRest, nodeList, startTestCluster, type TestCluster } from "./testing/cluster-harness";

let t: TestCluster;
beforeAll(async () => {
  t = await startTestCluster({ nodes: [{}, {}, { faults: { auditRecordsToDb: true } }] });
});
afterAll(() => t.stop());

const node = (i: number) => t.nodes[i]!;
const statusIn = async (viewer: SimulatedAppliance, subject: SimulatedAppliance) =>
  (await nodeList(apiOf(viewer))).find((n) => n.host === subject.host)?.status;
const becomes = (viewer: SimulatedAppliance, subject: SimulatedAppliance, code: string) =>
  eventually(`${subject.name} ${code} for ${viewer.name}`, async () => ((await statusIn(viewer, subject))?.code === code ? true : undefined));
const property = async (n: SimulatedAppliance) => (await apiOf(n).json<{ value: string }>("/api/v1/configs/properties/ENABLE_RECORDS_DB_STORE")).value;

describe("cluster faults", () => {
  it("[F8] ENABLE_RECORDS_DB_STORE is cluster-wide: on through one node's fault, off by a PATCH on another", async () => {
    expect(await Promise.all(t.nodes.map(property))).toEqual(["true", "true", "true"]);
    expect((await apiOf(node(0)).patch("/api/v1/configs/properties/ENABLE_RECORDS_DB_STORE", { value: "false" })).status).toBe(200);
    expect(await Promise.all(t.nodes.map(property))).toEqual(["false", "false", "false"]);
  });

  it("down: SSH and REST refuse, peers list it `d`; cleared, it is ready again", async () => {
    const b = node(1);
    await b.setFaults({ down: true });
    expect(await probePort(b.host, b.sshPort)).toBe("refused");
    expect(await probePort(b.host, b.restPort)).toBe("refused");
    expect(await statusIn(node(0), b)).toEqual({ code: "d", description: "down" });
    await b.setFaults({ down: false });
    await becomes(node(0), b, "r");
    expect((await run(b, t.key, "true")).code).toBe(0);
  });

  it("killed, unknown and different states show with their codes on every node, itself included", async () => {
    await node(0).setFaults({ differentStates: true });
    await node(1).setFaults({ killed: true });
    await node(2).setFaults({ unknownState: true });
    for (const viewer of t.nodes) {
      expect((await nodeList(apiOf(viewer))).map((n) => n.status)).toEqual([
        { code: "x", description: "nodes are in different states across databases" },
        { code: "k", description: "killed" },
        { code: "u", description: "unknown" },
      ]);
    }
    expect(await apiOf(node(1)).json("/api/v1/cluster")).toMatchObject({ status: { code: "k" } });
    for (const n of t.nodes) await n.setFaults({ differentStates: false, killed: false, unknownState: false });
    expect((await nodeList(apiOf(node(0)))).map((n) => n.status.code)).toEqual(["r", "r", "r"]);
  });

  it("a rebooting node is `d` for its peers until it is back", async () => {
    const c = node(2);
    const back = c.reboot();
    await becomes(node(0), c, "d");
    await back;
    await becomes(node(0), c, "r");
  });

  it("with its API gateway stopped a node answers 503 to everything, SSH still works, and peers see it ready", async () => {
    const b = node(1);
    const api = apiOf(b);
    await api.json("/api/v1/system/info");
    expect((await run(b, t.key, "sudo systemctl stop api-gateway")).code).toBe(0);
    for (const p of ["/api/v1/system/info", "/api/v1/cluster", "/api/v1/nodes"]) expect((await api.get(p)).status).toBe(503);
    expect((await api.post("/api/v1/auth/tokens/", { grant_type: "password", username: "admin", password: "admin" })).status).toBe(503);
    expect((await statusIn(node(0), b))?.code).toBe("r");
    expect((await run(b, t.key, "sudo systemctl start api-gateway")).code).toBe(0);
    expect((await api.get("/api/v1/system/info")).status).toBe(200);
  });

  it("[R10] stuckJoining: a rejoining node stays `c` and holds up every other join and removal until it clears", async () => {
    const [a, b, c] = [node(0), node(1), node(2)];
    const cId = (await nodeList(apiOf(a))).find((n) => n.host === c.host)!.nodeID;
    expect((await apiOf(a).del(`/api/v1/nodes/${cId}`)).status).toBe(204);
    await eventually("c removed", async () => ((await nodeList(apiOf(a))).length === 2 ? true : undefined));
    expect((await run(c, t.key, "ksctl cluster delete -y")).code).toBe(0);
    await c.setFaults({ stuckJoining: true });
    expect((await joinOverRest(c, a)).status).toBe(200);
    await becomes(a, c, "c");
    await new Promise((r) => setTimeout(r, 200)); // longer than a whole join here
    expect((await statusIn(b, c))?.code).toBe("c");
    const bId = (await nodeList(apiOf(a))).find((n) => n.host === b.host)!.nodeID;
    expect((await apiOf(a).del(`/api/v1/nodes/${bId}`)).status).toBe(409);
    await c.setFaults({ stuckJoining: false });
    await becomes(a, c, "r");
    expect(await property(c)).toBe("false");
  });
});

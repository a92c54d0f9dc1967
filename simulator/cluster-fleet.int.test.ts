// Clusters in a fleet file: addresses of their own, one pair of ports shared by every node, formed
// at start; the CLI's line and the control API name each node's cluster.
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import readline from "node:readline";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startControlServer } from "./control-server";
import { startFleet } from "./fleet";
import { makeClientKey, probePort, run, tempDir } from "./testing/clients";
import { apiOf, nodeList } from "./testing/cluster-harness";

const key = makeClientKey();
let dir: string;
beforeAll(() => {
  dir = tempDir();
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("a fleet with a cluster", () => {
  it("gives nodes addresses of their own and one free port pair, forms the cluster, and lists it", async () => {
    const fleet = await startFleet({
      stateDir: path.join(dir, "fleet"),
      timeScale: 0.002,
      defaults: { authorizedKeys: [key.publicLine] },
      appliances: [{ name: "solo" }],
      clusters: [{ name: "east", defaults: { version: "2.10.0+12807" }, nodes: [{ name: "e1" }, { name: "e2", host: "127.0.0.11" }, { name: "e3", version: "2.11.0+13003" }] }],
    });
    const control = await startControlServer(fleet);
    try {
      const [e1, e2, e3] = fleet.clusters[0]!.nodes;
      // 127.0.0.11 is taken by e2 in the file, so the others get .12 and .13.
      expect([e1!.host, e2!.host, e3!.host]).toEqual(["127.0.0.12", "127.0.0.11", "127.0.0.13"]);
      expect(new Set(fleet.clusters[0]!.nodes.map((n) => `${n.sshPort}/${n.restPort}`)).size).toBe(1);
      expect(e1!.sshPort).not.toBe(e1!.restPort);
      expect((await run(e3!, key, "true")).code).toBe(0);
      expect((await nodeList(apiOf(e2!))).map((n) => [n.host, n.status.code])).toEqual([["127.0.0.12", "r"], ["127.0.0.11", "r"], ["127.0.0.13", "r"]]);
      // A node started on another version shows in the summary [O4].
      expect((await apiOf(e1!).json<{ versions: string[] }>("/api/v1/cluster/summary")).versions).toEqual(["2.10.0+12807", "2.11.0+13003"]);
      expect(await apiOf(fleet.get("solo")!).json("/api/v1/cluster")).toMatchObject({ status: { code: "none" } });

      const clusters = await (await fetch(`${control.url}/clusters`)).json();
      expect(clusters).toEqual([{ name: "east", nodes: ["e1", "e2", "e3"] }]);
      const listed = (await (await fetch(`${control.url}/appliances`)).json()) as { name: string; clusterName?: string }[];
      expect(listed.map((a) => [a.name, a.clusterName])).toEqual([["solo", undefined], ["e1", "east"], ["e2", "east"], ["e3", "east"]]);
      const record = (await (await fetch(`${control.url}/record`)).json()) as { appliance: string; what: string }[];
      expect(record.find((e) => e.what === "true")?.appliance).toBe("e3");
    } finally {
      await control.close();
      await fleet.stop();
    }
  });

  it("refuses two cluster nodes on one address", async () => {
    const config = { stateDir: dir, clusters: [{ name: "c", nodes: [{ name: "a", host: "127.0.0.20" }, { name: "b", host: "127.0.0.20" }] }] };
    await expect(startFleet(config)).rejects.toThrow(/distinct hosts/);
  });
});

describe("the CLI with the demo fleet", () => {
  it("prints the cluster nodes with their cluster's name; --free-ports keeps it off the demo's ports", async () => {
    const demo = JSON.parse(fs.readFileSync("simulator/fleets/demo.json", "utf8")) as Record<string, unknown> & { defaults: Record<string, unknown> };
    const config = path.join(dir, "demo.json");
    fs.writeFileSync(path.join(dir, "keys"), `${key.publicLine}\n`);
    fs.writeFileSync(config, JSON.stringify({ ...demo, stateDir: path.join(dir, "demo"), defaults: { ...demo.defaults, authorizedKeysFile: path.join(dir, "keys") } }));
    const child = spawn(path.resolve("node_modules/.bin/tsx"), ["simulator/cli.ts", "--config", config, "--control-port", "0", "--free-ports"], { stdio: ["ignore", "pipe", "pipe"] });
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    const first = await new Promise<string>((resolve, reject) => {
      readline.createInterface({ input: child.stdout }).once("line", resolve);
      child.once("exit", () => reject(new Error("simulator exited before printing its endpoints")));
    });
    const started = JSON.parse(first) as { appliances: { name: string; host: string; sshPort: number; restPort: number; clusterName?: string; version: string }[] };
    const cluster = started.appliances.filter((a) => a.clusterName === "cm-par");
    expect(cluster.map((a) => [a.name, a.host, a.version])).toEqual([
      ["cm-par-01", "127.0.0.11", "2.10.0+12807"], ["cm-par-02", "127.0.0.12", "2.10.0+12807"], ["cm-par-03", "127.0.0.13", "2.10.0+12807"],
    ]);
    expect(new Set(cluster.map((a) => a.sshPort)).size).toBe(1);
    expect(cluster[0]!.sshPort).not.toBe(22210);
    expect(started.appliances.filter((a) => !a.clusterName).map((a) => a.name)).toEqual(["cm-lon-01", "cm-lon-02", "cm-fra-01", "cm-nyc-01"]);
    const target = { host: cluster[1]!.host, sshPort: cluster[1]!.sshPort };
    expect((await run(target, key, "ksctl cluster delete -y")).stderr).toMatch(/one of 3 nodes/);
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(await probePort(target.host, target.sshPort)).toBe("refused");
  });
});

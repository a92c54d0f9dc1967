// The fleet launcher, its control API, and the CLI as the demo and out-of-process tests use them.
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import readline from "node:readline";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startControlServer, type ControlServer } from "./control-server";
import { startFleet, type SimulatedFleet } from "./fleet";
import { makeClientKey, probePort, run, tempDir } from "./testing/clients";

const key = makeClientKey();
let dir: string;
beforeAll(() => {
  dir = tempDir();
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function control(server: ControlServer, method: string, p: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  const res = await fetch(`${server.url}${p}`, { method, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, json: await res.json() };
}

describe("startFleet and the control API", () => {
  let fleet: SimulatedFleet;
  let server: ControlServer;
  beforeAll(async () => {
    const keysFile = path.join(dir, "authorized_keys");
    fs.writeFileSync(keysFile, "");
    fleet = await startFleet({
      stateDir: path.join(dir, "fleet"),
      timeScale: 0.002,
      defaults: { authorizedKeysFile: keysFile, diskFreeBytes: 50 * 1024 ** 3 },
      appliances: [
        { name: "cm-a", version: "2.10.0+12807" },
        { name: "cm-b", version: "2.9.0+11937", diskFreeBytes: 20 * 1024 ** 3, faults: { lowDisk: 8 * 1024 ** 3 } },
      ],
    });
    server = await startControlServer(fleet);
  });
  afterAll(async () => {
    await server.close();
    await fleet.stop();
  });

  it("gives each appliance its own state folder, fleet defaults and its own fields", () => {
    const [a, b] = fleet.appliances;
    expect(fs.existsSync(path.join(dir, "fleet", "cm-a", "ssh_host_ed25519_key"))).toBe(true);
    expect(a?.state).toMatchObject({ version: "2.10.0+12807", disk: { freeBytes: 50 * 1024 ** 3 } });
    expect(b?.state).toMatchObject({ version: "2.9.0+11937", disk: { freeBytes: 8 * 1024 ** 3 } });
    expect(a?.sshPort).not.toBe(b?.sshPort);
  });

  it("honours a key written to the authorized keys file after the start", async () => {
    const a = fleet.get("cm-a");
    if (!a) throw new Error("no cm-a");
    await expect(run(a, key, "true")).rejects.toThrow(/authentication/);
    fs.writeFileSync(path.join(dir, "authorized_keys"), `${key.publicLine}\n`);
    expect((await run(a, key, "true")).code).toBe(0);
  });

  it("lists endpoints, fingerprints and state", async () => {
    const r = await control(server, "GET", "/appliances");
    expect(r.status).toBe(200);
    const list = r.json as { name: string; sshPort: number; restUrl: string; sshHostKeyFingerprint: string; restCertFingerprint: string; version: string }[];
    expect(list.map((x) => x.name)).toEqual(["cm-a", "cm-b"]);
    expect(list[0]).toMatchObject({
      sshPort: fleet.appliances[0]?.sshPort, version: "2.10.0+12807",
      sshHostKeyFingerprint: expect.stringMatching(/^SHA256:/), restCertFingerprint: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
  });

  it("switches faults, refuses unknown ones, shows the record and resets", async () => {
    const set = await control(server, "POST", "/appliances/cm-a/faults", { restDown: true });
    expect(set.json).toMatchObject({ restDown: true, neverReturns: false });
    expect(await probePort("127.0.0.1", fleet.get("cm-a")?.restPort ?? 0)).toBe("refused");
    expect((await control(server, "POST", "/appliances/cm-a/faults", { restdown: true })).status).toBe(400);
    expect((await control(server, "POST", "/appliances/nope/faults", {})).status).toBe(404);

    const record = await control(server, "GET", "/appliances/cm-a/record");
    expect(record.json).toEqual(expect.arrayContaining([expect.objectContaining({ channel: "ssh", what: "true", exitCode: 0 })]));

    const reset = await control(server, "POST", "/appliances/cm-a/reset");
    expect(reset.status).toBe(200);
    expect(reset.json).toMatchObject({ faults: { restDown: false } });
    expect((await control(server, "GET", "/appliances/cm-a/record")).json).toEqual([]);
    expect(await probePort("127.0.0.1", fleet.get("cm-a")?.restPort ?? 0)).toBe("open");
  });
});

describe("the CLI", () => {
  it("prints one JSON line with the endpoints, runs, and stops cleanly on SIGTERM", async () => {
    const config = path.join(dir, "cli-fleet.json");
    fs.writeFileSync(
      config,
      JSON.stringify({ stateDir: path.join(dir, "cli-state"), appliances: [{ name: "cm-cli-1" }, { name: "cm-cli-2", version: "2.9.0+11937" }] }),
    );
    const child = spawn(path.resolve("node_modules/.bin/tsx"), ["simulator/cli.ts", "--config", config, "--time-scale", "0.01"], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    const first = await new Promise<string>((resolve, reject) => {
      readline.createInterface({ input: child.stdout }).once("line", resolve);
      child.once("exit", () => reject(new Error("simulator exited before printing its endpoints")));
    });
    const started = JSON.parse(first) as { control: string; appliances: { name: string; host: string; sshPort: number; restUrl: string; version: string }[] };
    expect(started.control).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(started.appliances.map((a) => [a.name, a.version])).toEqual([
      ["cm-cli-1", "2.10.0+12345"],
      ["cm-cli-2", "2.9.0+11937"],
    ]);
    const ssh = started.appliances[0]?.sshPort ?? 0;
    expect(await probePort("127.0.0.1", ssh)).toBe("open");
    expect((await fetch(`${started.control}/appliances`)).status).toBe(200);
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(await probePort("127.0.0.1", ssh)).toBe("refused");
  });
});

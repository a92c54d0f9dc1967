// ks_upgrade.sh and reboot over real SSH and HTTPS: what it prints and when, what it refuses,
// and that the new firmware shows only after the reboot.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { flipByte, makeSignedArchive, type MadeArchive } from "./archives";
import { connectSsh, exec, login, probePort, rest, run, tempDir } from "./testing/clients";
import { startTestAppliance, upload, type TestAppliance } from "./testing/harness";

const GiB = 1024 ** 3;
let work: string;
let toNext: MadeArchive;

beforeAll(async () => {
  work = tempDir();
  toNext = await makeSignedArchive({ dir: work, version: "2.11.0+13003", sizeBytes: 256 * 1024 });
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

async function restVersion(t: TestAppliance): Promise<string> {
  const jwt = await login(t.appliance.restUrl);
  const info = await rest(t.appliance.restUrl, "GET", "/api/v1/system/info", { token: jwt });
  return (info.json as { version: string }).version;
}

const upgradeRuns = (t: TestAppliance) => t.appliance.record.filter((e) => e.what.includes("ks_upgrade.sh"));

describe("a successful upgrade", () => {
  let t: TestAppliance;
  beforeAll(async () => {
    t = await startTestAppliance({ version: "2.10.0+12345", timeScale: 0.004 });
  });
  afterAll(() => t.stop());

  it("[U8] [U9] [U10] verifies, streams status lines, and takes effect only after the reboot", async () => {
    const remote = await upload(t, toNext.path);
    const client = await connectSsh(t.appliance, t.key);
    const arrivals: { line: string; at: number }[] = [];
    let partial = "";
    const r = await exec(client, `sudo /opt/keysecure/ks_upgrade.sh -f ${remote}`, (text) => {
      partial += text;
      const lines = partial.split("\n");
      partial = lines.pop() ?? "";
      for (const line of lines) arrivals.push({ line, at: Date.now() });
    });
    expect(r.code).toBe(0);
    const lines = arrivals.map((a) => a.line);
    expect(lines[0]).toMatch(/do not restart or power-cycle/i);
    expect(lines.find((l) => /^Recording log file ks_upgrade_\d{4}-\d{2}-\d{2}-\d{6}\.log$/.test(l))).toBeDefined();
    const status = arrivals.filter((a) => /^status: (error|starting)$/.test(a.line));
    expect(status.length).toBeGreaterThan(10);
    expect(new Set(status.map((s) => s.line))).toEqual(new Set(["status: error", "status: starting"]));
    // 600 simulated seconds at 0.004 is 2.4 s: the lines must come over time, not in one burst.
    expect((status.at(-1)?.at ?? 0) - (status[0]?.at ?? 0)).toBeGreaterThan(1500);
    expect(lines.slice(-2)).toEqual(["Upgrade to 2.11.0+13003 succeeded", "Reboot the instance to finish the upgrade"]);

    // Until the reboot the running firmware is the old one.
    expect(await restVersion(t)).toBe("2.10.0+12345");
    expect(t.appliance.state.staged).toEqual({ kind: "upgrade", version: "2.11.0+13003" });

    const reboot = await exec(client, "sudo reboot");
    expect(reboot.dropped).toBe(true);
    expect(t.appliance.state.rebooting).toBe(true);
    expect(await probePort(t.appliance.host, t.appliance.sshPort)).toBe("refused");
    expect(await probePort(t.appliance.host, t.appliance.restPort)).toBe("refused");

    await t.appliance.waitFor((s) => s.phase === "up");
    const afterBoot = await run(t.appliance, t.key, "systemctl status keysecure");
    expect([0, 3]).toContain(afterBoot.code);
    await t.appliance.waitFor((s) => s.services.every((x) => x.status === "started"));
    const healthy = await run(t.appliance, t.key, "systemctl status keysecure");
    expect(healthy.code).toBe(0);
    expect(healthy.stdout).toMatch(/Active: active \(running\)/);
    expect(await restVersion(t)).toBe("2.11.0+13003");
    expect(upgradeRuns(t)).toHaveLength(1);
    expect(upgradeRuns(t)[0]?.exitCode).toBe(0);
  });
});

describe("refusals", () => {
  let t: TestAppliance;
  beforeAll(async () => {
    t = await startTestAppliance({ version: "2.10.0+12345" });
  });
  afterAll(() => t.stop());

  async function refused(remote: string, message: RegExp, command = `sudo /opt/keysecure/ks_upgrade.sh -f ${remote}`) {
    const r = await run(t.appliance, t.key, command);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).not.toMatch(/succeeded/);
    expect(t.appliance.state.staged).toBeNull();
    expect(t.appliance.state.version).toBe("2.10.0+12345");
  }

  it("[U8] a file signed by a key it does not trust", async () => {
    const made = await makeSignedArchive({ dir: work, version: "2.11.0+13003", signer: "other-signer", fileName: "other.tar.gz.gpg" });
    await refused(await upload(t, made.path), /signature verification failed/);
  });

  it("[U8] a file changed after signing", async () => {
    const made = await makeSignedArchive({ dir: work, version: "2.11.0+13003", format: "uncompressed", fileName: "flipped.tar.gz.gpg" });
    await flipByte(made.path, Math.floor(made.sizeBytes / 2));
    await refused(await upload(t, made.path), /signature verification failed/);
  });

  it("a missing file", async () => {
    await refused("/home/ksadmin/nothing.tar.gz.gpg", /not found/);
  });

  it("the version it already runs", async () => {
    const made = await makeSignedArchive({ dir: work, version: "2.10.0+12345", fileName: "same.tar.gz.gpg" });
    await refused(await upload(t, made.path), /already running version 2\.10\.0\+12345/);
  });

  it("an older version, and a downgrade archive", async () => {
    const older = await makeSignedArchive({ dir: work, version: "2.9.0+11937", fileName: "older.tar.gz.gpg" });
    await refused(await upload(t, older.path), /not newer than the installed version/);
    const down = await makeSignedArchive({ dir: work, version: "2.9.0+11937", kind: "downgrade", fileName: "down.tar.gz.gpg" });
    await refused(await upload(t, down.path), /downgrade archive/);
  });

  it("[U7] too little free disk besides the archive", async () => {
    const remote = await upload(t, toNext.path);
    await t.appliance.setFaults({ lowDisk: 12 * GiB });
    // The uploaded archive already took its bytes out of the 12 GiB.
    await refused(remote, /not enough free disk space on \/: 12\.0G required/);
    await t.appliance.setFaults({ lowDisk: null });
  });

  it("without sudo", async () => {
    const remote = await upload(t, toNext.path);
    await refused(remote, /must be run as root/, `/opt/keysecure/ks_upgrade.sh -f ${remote}`);
  });

  it("[U2] an untested starting version, unless -o overrides the check", async () => {
    const jump = await makeSignedArchive({ dir: work, version: "2.14.0+14001", fileName: "jump.tar.gz.gpg" });
    const remote = await upload(t, jump.path);
    await refused(remote, /has not been tested \(2\.14 was tested from/);
    const r = await run(t.appliance, t.key, `sudo /opt/keysecure/ks_upgrade.sh -f ${remote} -o`);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/has not been tested; continuing because -o was given/);
    expect(t.appliance.state.staged).toEqual({ kind: "upgrade", version: "2.14.0+14001" });
    await t.appliance.reset();
  });

  it("the upgradeFails fault: verifies, works, then exits non-zero with nothing staged", async () => {
    const remote = await upload(t, toNext.path);
    await t.appliance.setFaults({ upgradeFails: true });
    const r = await run(t.appliance, t.key, `sudo /opt/keysecure/ks_upgrade.sh -f ${remote}`);
    await t.appliance.setFaults({ upgradeFails: false });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/Signature verified/);
    expect(r.stdout).toMatch(/status: /);
    expect(r.stderr).toMatch(/Upgrade to 2\.11\.0\+13003 failed/);
    expect(t.appliance.state.staged).toBeNull();
    expect(t.appliance.state.services.every((s) => s.status === "started")).toBe(true);
  });
});

describe("running it twice, and interruptions", () => {
  let t: TestAppliance;
  beforeAll(async () => {
    t = await startTestAppliance({ version: "2.10.0+12345", timeScale: 0.004 });
  });
  afterAll(() => t.stop());

  it("keeps upgrading when the SSH session drops, and refuses a second run while it works", async () => {
    const remote = await upload(t, toNext.path);
    const client = await connectSsh(t.appliance, t.key);
    client.on("error", () => undefined);
    const started = new Promise<void>((resolve) => void exec(client, `sudo /opt/keysecure/ks_upgrade.sh -f ${remote}`, (s) => s.includes("status:") && resolve()));
    await started;
    client.destroy();
    const second = await run(t.appliance, t.key, `sudo /opt/keysecure/ks_upgrade.sh -f ${remote}`);
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(/already running/);
    await t.appliance.waitFor((s) => s.staged !== null, 10_000);
    const third = await run(t.appliance, t.key, `sudo /opt/keysecure/ks_upgrade.sh -f ${remote}`);
    expect(third.stderr).toMatch(/waiting; reboot the instance/);
    expect(upgradeRuns(t)).toHaveLength(3);
  });

  it("a reboot in the middle of an upgrade leaves keysecure failing", async () => {
    await t.appliance.reset();
    const remote = await upload(t, toNext.path);
    const client = await connectSsh(t.appliance, t.key);
    client.on("error", () => undefined);
    await new Promise<void>((resolve) => void exec(client, `sudo /opt/keysecure/ks_upgrade.sh -f ${remote}`, (s) => s.includes("status:") && resolve()));
    client.end();
    await t.appliance.reboot();
    await t.appliance.waitFor((s) => s.services.find((x) => x.name === "keysecure")?.status === "error");
    expect(t.appliance.state.version).toBe("2.10.0+12345");
    expect(t.appliance.state.broken).toMatch(/rebooted during the upgrade/);
    const status = await run(t.appliance, t.key, "systemctl status keysecure");
    expect(status.code).toBe(3);
    expect(status.stdout).toMatch(/Active: failed/);
  });
});

it("keeps the log of each run in the stateDir, out of ksadmin's reach", async () => {
  const t = await startTestAppliance({ version: "2.10.0+12345" });
  try {
    const remote = await upload(t, toNext.path);
    await run(t.appliance, t.key, `sudo /opt/keysecure/ks_upgrade.sh -f ${remote}`);
    const logs = fs.readdirSync(path.join(t.stateDir, "logs"));
    expect(logs).toHaveLength(1);
    expect(fs.readFileSync(path.join(t.stateDir, "logs", logs[0] as string), "utf8")).toMatch(/Upgrade to 2\.11\.0\+13003 succeeded/);
    expect((await run(t.appliance, t.key, "ls")).stdout).toBe(`${toNext.fileName}\n`);
  } finally {
    await t.stop();
  }
});

// A firmware change end to end against the simulator, as a worker would drive it: backup and key
// off the appliance, upload, ks_upgrade.sh, reboot, wait for return; and the ways that goes wrong.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHash } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { makeSignedArchive } from "@/simulator/archives";
import { AppError } from "@/lib/errors";
import {
  createRestClient, disableClientTraffic, enableClientTraffic, openSshSession, readServiceStatus, rebootAppliance, runUpgrade,
  sha256OfRemoteFile, waitForAppliance,
} from "./index";
import { startSimulatedTarget, type SimulatedTarget } from "./testing/simulated-appliance";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "fuc-simlife-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function rejection(p: Promise<unknown>): Promise<AppError> {
  const e = await p.then(() => null, (err: unknown) => err);
  expect(e).toBeInstanceOf(AppError);
  return e as AppError;
}

async function uploadArchive(t: SimulatedTarget, version: string) {
  const archive = await makeSignedArchive({ dir, version });
  const remote = `/home/ksadmin/${archive.fileName}`;
  const s = await openSshSession(t.endpoint, t.credentials, t.trust);
  await s.upload(archive.path, remote);
  expect(await sha256OfRemoteFile(s, remote)).toBe(archive.sha256);
  return { s, remote };
}

describe("REST against the simulator", () => {
  let t: SimulatedTarget;
  beforeAll(async () => (t = await startSimulatedTarget()));
  afterAll(() => t?.stop());

  it("logs in, reads identity and health, and gets a backup and its key off the appliance", async () => {
    const rest = createRestClient(t.endpoint, t.credentials, t.trust);
    const info = await rest.systemInfo();
    expect(info).toMatchObject({ version: "2.10.0+12345", model: "CipherTrust Manager k170v" });
    expect((await rest.servicesStatus()).map((x) => x.name)).toContain("api-gateway");
    expect((await rest.cluster()).status.code).toBe("none");
    expect(Array.isArray(await rest.nodes())).toBe(true);

    const key = await rest.createBackupKey();
    expect((await rest.listBackupKeys()).map((k) => k.id)).toContain(key.id);
    const backup = await rest.createBackup({ description: "before upgrade", backupKeyId: key.id });
    const done = await rest.waitForBackup(backup.id, { timeoutMs: 10_000, pollMs: 20 });
    expect(done.status).toBe("completed");
    const dest = path.join(dir, `${backup.id}.cmbak`);
    const got = await rest.downloadBackup(backup.id, dest);
    expect(got.bytes).toBeGreaterThan(0);
    expect(got.sha256).toBe(createHash("sha256").update(await readFile(dest)).digest("hex"));
    const keyFile = await rest.downloadBackupKey(key.id, "key-Passw0rd", path.join(dir, `${key.id}.key`));
    expect(keyFile.bytes).toBeGreaterThan(0);

    expect((await rest.getProperty("ENABLE_RECORDS_DB_STORE"))?.value).toMatch(/^(true|false)$/);
    expect((await rest.setProperty("ENABLE_RECORDS_DB_STORE", "false")).value).toBe("false");
    const bad = await rejection(rest.setProperty("ENABLE_RECORDS_DB_STORE", "maybe"));
    expect(bad.code).toBe("appliance-refused");
    rest.close();
  });

  it("takes client traffic off the node and gives it back (driver profile operations)", async () => {
    const s = await openSshSession(t.endpoint, t.credentials, t.trust);
    await disableClientTraffic(s);
    expect(t.appliance.state.services.find((x) => x.name === "api-gateway")?.status).toBe("disabled");
    await enableClientTraffic(s);
    expect(t.appliance.state.services.find((x) => x.name === "api-gateway")?.status).toBe("started");
    await s.close();
  });
});

describe("firmware change", () => {
  it("upgrades 2.10 -> 2.11: streamed output, success line, reboot, return, new version", async () => {
    const t = await startSimulatedTarget({ version: "2.10.0+12345" });
    try {
      const { s, remote } = await uploadArchive(t, "2.11.0+13000");
      const lines: string[] = [];
      const r = await runUpgrade(s, remote, { onLine: (l) => lines.push(l) });
      expect(r).toMatchObject({ exitCode: 0, succeeded: true, targetVersion: "2.11.0+13000", rebootRequested: true });
      expect(lines.some((l) => /^status: (error|starting)$/.test(l))).toBe(true);
      expect(lines.some((l) => /Recording log file ks_upgrade_\d{4}-\d\d-\d\d-\d{6}\.log/.test(l))).toBe(true);
      expect(r.lastLines.at(-1)).toBe("Reboot the instance to finish the upgrade");

      await rebootAppliance(s);
      expect(s.closed).toBe(true);
      const attempts: string[] = [];
      const back = await waitForAppliance(t.endpoint, t.credentials, t.trust, {
        deadlineMs: 20_000, pollMs: 50, onAttempt: (a) => attempts.push(a.error.code),
      });
      expect(back.systemInfo.version).toBe("2.11.0+13000");
      expect(attempts.every((c) => c === "appliance-unreachable" || c === "appliance-refused")).toBe(true);
      const again = await openSshSession(t.endpoint, t.credentials, t.trust);
      await t.appliance.waitFor((st) => st.services.every((x) => x.status === "started"), 10_000);
      expect((await readServiceStatus(again)).healthy).toBe(true);
      await again.close();
    } finally {
      await t.stop();
    }
  });

  it("reports a failed upgrade with its exit code and last words", async () => {
    const t = await startSimulatedTarget({ version: "2.10.0+12345", faults: { upgradeFails: true } });
    try {
      const { s, remote } = await uploadArchive(t, "2.11.0+13000");
      const r = await runUpgrade(s, remote);
      expect(r).toMatchObject({ exitCode: 1, succeeded: false, targetVersion: null, rebootRequested: false });
      expect(r.lastLines.join("\n")).toMatch(/ERROR: Upgrade to 2\.11\.0\+13000 failed/);
      await s.close();
    } finally {
      await t.stop();
    }
  });

  it("waitForAppliance gives up at its deadline when the appliance never returns", async () => {
    const t = await startSimulatedTarget({ faults: { neverReturns: true } });
    try {
      const s = await openSshSession(t.endpoint, t.credentials, t.trust);
      await rebootAppliance(s);
      const t0 = Date.now();
      const e = await rejection(waitForAppliance(t.endpoint, t.credentials, t.trust, { deadlineMs: 1_500, pollMs: 100 }));
      const took = Date.now() - t0;
      expect(e.code).toBe("timeout");
      expect(e.message).toMatch(/did not come back within 1\.5 s; last error: ssh 127\.0\.0\.1:\d+: .*ECONNREFUSED/);
      expect(took).toBeGreaterThanOrEqual(1_400);
      expect(took).toBeLessThan(3_000);
    } finally {
      await t.stop();
    }
  });

  it("a changed host key on return fails at once with host-key-changed, without retrying", async () => {
    const t = await startSimulatedTarget();
    try {
      await t.appliance.setFaults({ hostKeyChanged: true });
      const s = await openSshSession(t.endpoint, t.credentials, t.trust);
      await rebootAppliance(s);
      const t0 = Date.now();
      const e = await rejection(waitForAppliance(t.endpoint, t.credentials, t.trust, { deadlineMs: 20_000, pollMs: 50 }));
      expect(e.code).toBe("host-key-changed");
      expect(e.message).toContain(t.trust.sshHostKeyFingerprint);
      expect(e.message).toContain(t.appliance.sshHostKeyFingerprint);
      expect(Date.now() - t0).toBeLessThan(10_000);
    } finally {
      await t.stop();
    }
  });
});

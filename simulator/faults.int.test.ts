// Each fault switch, seen from outside through real sockets, as a console would meet it.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { connectSsh, exec, fastPut, login, openSftp, probePort, rest, run, tempDir } from "./testing/clients";
import { startTestAppliance, type TestAppliance } from "./testing/harness";

let work: string;
beforeAll(() => {
  work = tempDir();
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

let t: TestAppliance;
afterEach(async () => {
  await t?.stop();
});

function localFile(name: string, bytes: number): { file: string; data: Buffer } {
  const data = crypto.randomBytes(bytes);
  const file = path.join(work, name);
  fs.writeFileSync(file, data);
  return { file, data };
}

describe("power faults", () => {
  it("[O2] neverReturns: after a reboot SSH and REST refuse connections until the fault is cleared", async () => {
    t = await startTestAppliance({ faults: { neverReturns: true } });
    const r = await run(t.appliance, t.key, "sudo reboot");
    expect(r.dropped).toBe(true);
    await t.appliance.waitFor((s) => s.phase === "down");
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await probePort(t.appliance.host, t.appliance.sshPort)).toBe("refused");
    expect(await probePort(t.appliance.host, t.appliance.restPort)).toBe("refused");
    await t.appliance.setFaults({ neverReturns: false });
    await t.appliance.waitFor((s) => s.phase === "up");
    expect((await run(t.appliance, t.key, "true")).code).toBe(0);
  });

  it("slowReturn: the reboot lasts that many simulated seconds longer", async () => {
    t = await startTestAppliance({ timeScale: 0.002, rebootSeconds: 100, faults: { slowReturn: 400 } });
    const started = Date.now();
    await t.appliance.reboot();
    // (100 + 400) s at 0.002 = 1 s; without the fault it would be 0.2 s.
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(t.appliance.state.phase).toBe("up");
  });

  it("[U10] serviceFails: after a reboot keysecure is failed and systemctl exits 3", async () => {
    t = await startTestAppliance({ faults: { serviceFails: true } });
    expect((await run(t.appliance, t.key, "systemctl status keysecure")).code).toBe(0);
    await t.appliance.reboot();
    await t.appliance.waitFor((s) => s.services.find((x) => x.name === "keysecure")?.status === "error");
    const r = await run(t.appliance, t.key, "systemctl status keysecure");
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/Active: failed \(Result: exit-code\)/);
    const jwt = await login(t.appliance.restUrl);
    const services = await rest(t.appliance.restUrl, "GET", "/api/v1/system/services/status", { token: jwt });
    expect(services.json).toMatchObject({ services: expect.arrayContaining([{ name: "keysecure", status: "error" }]) });
  });

  it("hostKeyChanged: the next boot presents a new host key, then it stays", async () => {
    t = await startTestAppliance();
    const before = t.appliance.sshHostKeyFingerprint;
    expect(await presentedFingerprint(t)).toBe(before);
    await t.appliance.setFaults({ hostKeyChanged: true });
    expect(t.appliance.sshHostKeyFingerprint).toBe(before);
    await t.appliance.reboot();
    const after = t.appliance.sshHostKeyFingerprint;
    expect(after).not.toBe(before);
    expect(after).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
    expect(await presentedFingerprint(t)).toBe(after);
    await t.appliance.reboot();
    expect(t.appliance.sshHostKeyFingerprint).toBe(after);
  });
});

/** The host key an SSH client is shown, as OpenSSH prints its fingerprint. */
async function presentedFingerprint(target: TestAppliance): Promise<string> {
  const ssh2 = (await import("ssh2")).default;
  return new Promise((resolve, reject) => {
    const c = new ssh2.Client();
    c.on("error", reject);
    c.connect({
      host: target.appliance.host,
      port: target.appliance.sshPort,
      username: "ksadmin",
      privateKey: target.key.privateKey,
      hostVerifier: (key: Buffer) => {
        resolve(`SHA256:${crypto.createHash("sha256").update(key).digest("base64").replace(/=+$/, "")}`);
        return false;
      },
    });
  });
}

describe("network faults", () => {
  it("restDown: REST refuses connections while SSH still serves", async () => {
    t = await startTestAppliance();
    await t.appliance.setFaults({ restDown: true });
    expect(await probePort(t.appliance.host, t.appliance.restPort)).toBe("refused");
    expect((await run(t.appliance, t.key, "true")).code).toBe(0);
    await t.appliance.setFaults({ restDown: false });
    expect(await probePort(t.appliance.host, t.appliance.restPort)).toBe("open");
    expect((await rest(t.appliance.restUrl, "GET", "/api/v1/system/info")).status).toBe(401);
  });

  it("dropSshAfterBytes: the connection drops mid-upload; the upload resumes at the offset it reached", async () => {
    t = await startTestAppliance({ faults: { dropSshAfterBytes: 300_000 } });
    const { data } = localFile("resumable.bin", 1_000_000);
    const first = await connectSsh(t.appliance, t.key);
    first.on("error", () => undefined);
    const sftp = await openSftp(first);
    // An in-order writer, so what arrived is a prefix. (fastPut writes out of order: a drop can
    // leave holes, and a resume must not trust the remote size alone.)
    const closed = new Promise<string>((resolve) => first.on("close", () => resolve("connection closed")));
    const ws = sftp.createWriteStream("resumable.bin");
    ws.on("error", () => undefined);
    ws.end(data);
    expect(await closed).toBe("connection closed");
    const size = Number((await run(t.appliance, t.key, "stat -c %s resumable.bin")).stdout);
    expect(size).toBe(300_000);
    expect(t.appliance.faults.dropSshAfterBytes).toBeNull();

    // Resume: append what is missing, then compare hashes.
    const second = await connectSsh(t.appliance, t.key);
    const sftp2 = await openSftp(second);
    await new Promise<void>((resolve, reject) => {
      const ws = sftp2.createWriteStream("resumable.bin", { flags: "r+", start: size });
      ws.on("close", () => resolve());
      ws.on("error", reject);
      ws.end(data.subarray(size));
    });
    second.end();
    const sum = await run(t.appliance, t.key, "sha256sum resumable.bin");
    expect(sum.stdout).toBe(`${crypto.createHash("sha256").update(data).digest("hex")}  resumable.bin\n`);
    expect(t.appliance.record.some((e) => e.what.startsWith("upload interrupted: /home/ksadmin/resumable.bin"))).toBe(true);
  });
});

describe("disk faults", () => {
  it("[U7] lowDisk: df and the free space shrink to the fault's value", async () => {
    t = await startTestAppliance({ diskTotalBytes: 64 * 1024 ** 3 });
    await t.appliance.setFaults({ lowDisk: 5 * 1024 ** 3 });
    const r = await run(t.appliance, t.key, "df -h /");
    expect(r.stdout.split("\n")[1]).toMatch(/^\/dev\/sda2\s+64G\s+59G\s+5\.0G\s+93% \/$/);
  });

  it("writes beyond the free space fail with 'No space left on device'", async () => {
    t = await startTestAppliance({ faults: { lowDisk: 100_000 } });
    const { file } = localFile("too-big.bin", 300_000);
    const client = await connectSsh(t.appliance, t.key);
    const sftp = await openSftp(client);
    await expect(fastPut(sftp, file, "too-big.bin")).rejects.toThrow(/No space left on device/);
    client.end();
    expect(t.appliance.state.disk.freeBytes).toBeLessThan(32 * 1024);
  });

  it("diskFillsDuringUpload: free space hits 0 mid-upload and the SFTP write fails", async () => {
    t = await startTestAppliance({ faults: { diskFillsDuringUpload: 200_000 } });
    const { file } = localFile("fills.bin", 600_000);
    const client = await connectSsh(t.appliance, t.key);
    const sftp = await openSftp(client);
    await expect(fastPut(sftp, file, "fills.bin")).rejects.toThrow(/No space left on device/);
    expect(t.appliance.state.disk.freeBytes).toBe(0);
    expect((await exec(client, "df -P -B1 /")).stdout).toMatch(/\s0\s+100% \/\n$/);
    client.end();
    await t.appliance.setFaults({ diskFillsDuringUpload: false });
    expect(t.appliance.state.disk.freeBytes).toBeGreaterThan(0);
  });
});

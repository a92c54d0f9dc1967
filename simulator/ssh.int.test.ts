// The simulated sshd over real sockets: authentication, coreutils output, SFTP into the home
// folder, and exit statuses as real OpenSSH clients see them.
import crypto from "node:crypto";
import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseDfOutput } from "@/lib/domain/df-output";
import { connectSsh, exec, makeClientKey, openSftp, run, tempDir } from "./testing/clients";
import { startTestAppliance, upload, type TestAppliance } from "./testing/harness";

const execFileAsync = promisify(execFile);
let t: TestAppliance;
let work: string;

beforeAll(async () => {
  t = await startTestAppliance({ version: "2.10.0+12345", diskTotalBytes: 100 * 1024 ** 3, diskFreeBytes: 40 * 1024 ** 3 });
  work = tempDir();
});
afterAll(async () => {
  await t.stop();
  fs.rmSync(work, { recursive: true, force: true });
});

function randomFile(name: string, bytes: number): { file: string; sha256: string } {
  const file = path.join(work, name);
  const data = crypto.randomBytes(bytes);
  fs.writeFileSync(file, data);
  return { file, sha256: crypto.createHash("sha256").update(data).digest("hex") };
}

describe("authentication", () => {
  it("[U3] lets ksadmin in with its authorized key", async () => {
    const r = await run(t.appliance, t.key, "whoami");
    expect(r).toMatchObject({ code: 0, stdout: "ksadmin\n" });
  });

  it("refuses another key, another user, and passwords", async () => {
    await expect(connectSsh(t.appliance, makeClientKey())).rejects.toThrow(/authentication methods failed/);
    await expect(connectSsh(t.appliance, t.key, "root")).rejects.toThrow(/authentication methods failed/);
    const ssh2 = (await import("ssh2")).default;
    await expect(
      new Promise((resolve, reject) => {
        const c = new ssh2.Client();
        c.once("ready", () => resolve(undefined));
        c.once("error", reject);
        c.connect({ host: t.appliance.host, port: t.appliance.sshPort, username: "ksadmin", password: "ksadmin", readyTimeout: 5000 });
      }),
    ).rejects.toThrow(/authentication methods failed/);
  });

  it("shows the firmware version in its banner", async () => {
    const ssh2 = (await import("ssh2")).default;
    const banner = await new Promise<string>((resolve, reject) => {
      const c = new ssh2.Client();
      c.on("banner", (text: string) => {
        c.end();
        resolve(text);
      });
      c.once("error", reject);
      c.connect({ host: t.appliance.host, port: t.appliance.sshPort, username: "ksadmin", privateKey: t.key.privateKey });
    });
    expect(banner).toContain("Version 2.10.0+12345");
  });
});

describe("commands", () => {
  it("[U7] prints df from the simulated disk, exact with -P -B1", async () => {
    const r = await run(t.appliance, t.key, "df -P -B1 /");
    const parsed = parseDfOutput(r.stdout);
    expect(parsed.ok && parsed.reading).toMatchObject({ sizeBytes: 100 * 1024 ** 3, availableBytes: t.appliance.state.disk.freeBytes });
    const human = await run(t.appliance, t.key, "df -h /");
    expect(human.stdout).toMatch(/^Filesystem\s+Size\s+Used\s+Avail\s+Use%\s+Mounted on\n\/dev\/sda2\s+100G\s+60G\s+40G\s+60% \/\n$/);
  });

  it("answers unknown commands the way sh does", async () => {
    const r = await run(t.appliance, t.key, "apt-get install curl");
    expect(r).toMatchObject({ code: 127, stderr: "sh: 1: apt-get: not found\n" });
  });

  it("refuses files outside the home folder like a permission error", async () => {
    const r = await run(t.appliance, t.key, "sha256sum /etc/shadow");
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("sha256sum: /etc/shadow: Permission denied\n");
    expect((await run(t.appliance, t.key, "cat ../../etc/passwd")).code).toBe(1);
  });

  it("lets sudo run the vendor tools and reboot only", async () => {
    const r = await run(t.appliance, t.key, "sudo cat /etc/shadow");
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/Sorry, user ksadmin is not allowed to execute '\/usr\/bin\/cat \/etc\/shadow' as root/);
  });

  it("[R5] ksctl cluster delete on a standalone node is refused", async () => {
    const r = await run(t.appliance, t.key, "ksctl cluster delete -y");
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/not a member of a cluster/);
  });

  it("[U10] systemctl status keysecure says active (running) and exits 0", async () => {
    const r = await run(t.appliance, t.key, "systemctl status keysecure");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^\s+Active: active \(running\) since /m);
  });
});

describe("SFTP", () => {
  it("[U6] puts a file in the home folder; sha256sum, ls, stat and df agree", async () => {
    const { file, sha256 } = randomFile("ks_upgrade_test.bin", 3 * 1024 * 1024 + 17);
    const freeBefore = t.appliance.state.disk.freeBytes;
    const remote = await upload(t, file);
    expect(remote).toBe("/home/ksadmin/ks_upgrade_test.bin");
    const size = fs.statSync(file).size;
    expect(t.appliance.state.disk.freeBytes).toBe(freeBefore - size);
    expect(fs.readFileSync(path.join(t.stateDir, "home/ksadmin/ks_upgrade_test.bin")).equals(fs.readFileSync(file))).toBe(true);
    const r = await run(t.appliance, t.key, "sha256sum ks_upgrade_test.bin && stat -c %s /home/ksadmin/ks_upgrade_test.bin && ls");
    expect(r.stdout).toBe(`${sha256}  ks_upgrade_test.bin\n${size}\nks_upgrade_test.bin\n`);
    const sftpEntries = t.appliance.record.filter((e) => e.channel === "sftp" && e.what.includes("ks_upgrade_test.bin"));
    expect(sftpEntries.map((e) => e.what.split(" ")[1])).toEqual(["started:", "/home/ksadmin/ks_upgrade_test.bin"]);
    expect((await run(t.appliance, t.key, "rm -f ks_upgrade_test.bin && ls")).stdout).toBe("");
    expect(t.appliance.state.disk.freeBytes).toBe(freeBefore);
  });

  it("writes at an offset, so an interrupted upload can be resumed", async () => {
    const client = await connectSsh(t.appliance, t.key);
    const sftp = await openSftp(client);
    const write = (flags: "w" | "r+", data: Buffer, position: number) =>
      new Promise<void>((resolve, reject) =>
        sftp.open("resume.bin", flags, (err, handle) => {
          if (err) return reject(err);
          sftp.write(handle, data, 0, data.length, position, (e) => (e ? reject(e) : sftp.close(handle, () => resolve())));
        }),
      );
    await write("w", Buffer.from("hello "), 0);
    await write("r+", Buffer.from("world"), 6);
    client.end();
    expect((await run(t.appliance, t.key, "cat resume.bin")).stdout).toBe("hello world");
  });

  it("refuses to open files outside the home folder", async () => {
    const client = await connectSsh(t.appliance, t.key);
    const sftp = await openSftp(client);
    const err = await new Promise<Error | undefined>((resolve) => sftp.open("/etc/passwd", "r", (e) => resolve(e ?? undefined)));
    client.end();
    expect(err?.message).toMatch(/Permission denied/);
  });
});

describe("OpenSSH clients", () => {
  let keyFile: string;
  const opts = () => ["-i", keyFile, "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR", "-o", "BatchMode=yes"];
  beforeAll(() => {
    keyFile = path.join(work, "id_ed25519");
    fs.writeFileSync(keyFile, t.key.privateKey, { mode: 0o600 });
  });

  async function ssh(command: string): Promise<{ code: number; stdout: string }> {
    try {
      const r = await execFileAsync("ssh", [...opts(), "-p", String(t.appliance.sshPort), `ksadmin@${t.appliance.host}`, command]);
      return { code: 0, stdout: r.stdout };
    } catch (e) {
      const err = e as { code: number; stdout: string };
      return { code: err.code, stdout: err.stdout };
    }
  }

  it("see the real exit status, not 255", async () => {
    expect((await ssh("true")).code).toBe(0);
    expect((await ssh("false")).code).toBe(1);
    expect((await ssh("no-such-tool")).code).toBe(127);
    expect((await ssh("systemctl status nosuch")).code).toBe(4);
  });

  it("[U6] copy with scp as the vendor documents (scp -i key file ksadmin@ip:.)", async () => {
    const { file, sha256 } = randomFile("scp-copy.bin", 512 * 1024);
    await execFileAsync("scp", [...opts(), "-P", String(t.appliance.sshPort), file, `ksadmin@${t.appliance.host}:.`]);
    expect((await ssh("stat -c %s scp-copy.bin; sha256sum scp-copy.bin")).stdout).toBe(`${512 * 1024}\n${sha256}  scp-copy.bin\n`);
  });
});

describe("exec channel", () => {
  it("streams a file with cat and still sends the exit status", async () => {
    const { file } = randomFile("big.bin", 2 * 1024 * 1024);
    await upload(t, file);
    const client = await connectSsh(t.appliance, t.key);
    const r = await exec(client, "cat big.bin");
    client.end();
    expect(r.code).toBe(0);
    expect(Buffer.byteLength(r.stdout, "latin1")).toBeGreaterThan(0);
  });
});

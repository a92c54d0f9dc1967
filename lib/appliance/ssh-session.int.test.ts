// The SSH half of the driver against a real OpenSSH sshd on loopback: pinning, quoting, upload,
// resume after a dropped link, and the error codes workers act on.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHash, randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { AppError } from "@/lib/errors";
import { openSshSession, sha256OfRemoteFile, type ApplianceCredentials, type ApplianceEndpoint, type ApplianceTrust } from "./index";
import { startTestSshd, newClientKey, freePort, type TestSshd } from "./testing/openssh-server";
import { startCutProxy, type CutProxy } from "./testing/cut-proxy";

let sshd: TestSshd;
let proxy: CutProxy;
let dir: string;
const key = newClientKey();
let endpoint: ApplianceEndpoint;
let creds: ApplianceCredentials;
let trust: ApplianceTrust;

beforeAll(async () => {
  sshd = await startTestSshd([key.publicKey]);
  proxy = await startCutProxy(sshd.port);
  dir = await mkdtemp(path.join(tmpdir(), "fuc-ssh-test-"));
  endpoint = { host: "127.0.0.1", sshPort: sshd.port, restUrl: "https://127.0.0.1:1" };
  creds = { sshUser: sshd.user, privateKey: key.privateKey, restUsername: "x", restPassword: "x" };
  trust = { sshHostKeyFingerprint: sshd.hostKeyFingerprint, restCertFingerprint: "0".repeat(64) };
});

afterAll(async () => {
  await proxy?.stop();
  await sshd?.stop();
  await rm(dir, { recursive: true, force: true });
});

async function rejection(p: Promise<unknown>): Promise<AppError> {
  const e = await p.then(() => null, (err: unknown) => err);
  expect(e).toBeInstanceOf(AppError);
  return e as AppError;
}

describe("host key pinning", () => {
  it("refuses a host key other than the pinned one, before any authentication request", async () => {
    const chatty = await startTestSshd([key.publicKey], { logLevel: "DEBUG1" });
    const wrong = { ...trust, sshHostKeyFingerprint: "SHA256:" + "A".repeat(43) };
    const e = await rejection(openSshSession({ ...endpoint, sshPort: chatty.port }, creds, wrong));
    expect(e.code).toBe("host-key-changed");
    expect(e.message).toContain(chatty.hostKeyFingerprint);
    expect(e.message).toContain(wrong.sshHostKeyFingerprint);
    expect(e.message).toMatch(/admin must accept/);
    await new Promise((r) => setTimeout(r, 200));
    const seen = chatty.log();
    await chatty.stop();
    expect(seen).toMatch(/Connection from 127\.0\.0\.1/);
    expect(seen).not.toMatch(/userauth-request|Accepted publickey|Failed publickey/);
  });

  it("(control) a correctly pinned connection does show up as an authentication in sshd's debug log", async () => {
    const chatty = await startTestSshd([key.publicKey], { logLevel: "DEBUG1" });
    const s = await openSshSession({ ...endpoint, sshPort: chatty.port }, creds, { ...trust, sshHostKeyFingerprint: chatty.hostKeyFingerprint });
    await s.close();
    await new Promise((r) => setTimeout(r, 200));
    const seen = chatty.log();
    await chatty.stop();
    expect(seen).toMatch(/userauth-request/);
  });

  it("refuses a wrong host key on the shared server too", async () => {
    const wrong = { ...trust, sshHostKeyFingerprint: "SHA256:" + "A".repeat(43) };
    const e = await rejection(openSshSession(endpoint, creds, wrong));
    expect(e.code).toBe("host-key-changed");
    expect(e.message).toContain(sshd.hostKeyFingerprint);
    expect(e.message).toContain(wrong.sshHostKeyFingerprint);
  });

  it("accepts the pinned key (padding and missing prefix tolerated) and authenticates", async () => {
    const loose = { ...trust, sshHostKeyFingerprint: trust.sshHostKeyFingerprint.replace("SHA256:", "") + "=" };
    const s = await openSshSession(endpoint, creds, loose);
    expect((await s.exec(["true"])).exitCode).toBe(0);
    await s.close();
    expect(s.closed).toBe(true);
  });
});

describe("connection failures", () => {
  it("maps a refused key to appliance-refused", async () => {
    const other = newClientKey();
    const e = await rejection(openSshSession(endpoint, { ...creds, privateKey: other.privateKey }, trust));
    expect(e.code).toBe("appliance-refused");
  });

  it("maps a closed port to appliance-unreachable", async () => {
    const e = await rejection(openSshSession({ ...endpoint, sshPort: await freePort() }, creds, trust));
    expect(e.code).toBe("appliance-unreachable");
  });

  it("maps a silent server to appliance-unreachable within the ready timeout", async () => {
    const silent: Server = createServer(() => undefined);
    await new Promise<void>((r) => silent.listen(0, "127.0.0.1", r));
    const port = (silent.address() as { port: number }).port;
    const t0 = Date.now();
    const e = await rejection(openSshSession({ ...endpoint, sshPort: port }, creds, trust, { readyTimeoutMs: 300 }));
    expect(e.code).toBe("appliance-unreachable");
    expect(Date.now() - t0).toBeLessThan(3_000);
    silent.close();
  });

  it("rejects an unusable private key as bad-input without connecting", async () => {
    const e = await rejection(openSshSession(endpoint, { ...creds, privateKey: "not a key" }, trust));
    expect(e.code).toBe("bad-input");
  });
});

describe("exec", () => {
  it("passes every argument through a real POSIX shell as one literal word", async () => {
    const s = await openSshSession(endpoint, creds, trust);
    const marker = path.join(dir, "injected");
    const nasty = [
      `my archive; touch ${marker}`,
      "$(touch " + marker + ")",
      "`touch " + marker + "`",
      "it's \"quoted\" \\ back",
      "*",
      "a\nb",
      "",
      "-o",
      "&& || | > < #",
    ];
    const r = await s.exec(["printf", "[%s]\\n", ...nasty]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe(nasty.map((a) => `[${a}]\n`).join(""));
    expect(existsSync(marker)).toBe(false);
    await s.close();
  });

  it("returns exit codes and stderr, streams output, and keeps only the tail", async () => {
    const s = await openSshSession(endpoint, creds, trust);
    const chunks: string[] = [];
    const r = await s.exec(["sh", "-c", "seq 1 20000; echo oops >&2; exit 3"], { onStdout: (c) => chunks.push(c), maxOutputChars: 1000 });
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toBe("oops\n");
    expect(r.stdout.length).toBeLessThanOrEqual(1000);
    expect(r.stdout.endsWith("19999\n20000\n")).toBe(true);
    expect(chunks.join("").startsWith("1\n2\n3\n")).toBe(true);
    await s.close();
  });

  it("times out a command that does not finish, and the session stays usable", async () => {
    const s = await openSshSession(endpoint, creds, trust);
    const e = await rejection(s.exec(["sleep", "5"], { timeoutMs: 300 }));
    expect(e.code).toBe("timeout");
    expect((await s.exec(["echo", "still here"])).stdout).toBe("still here\n");
    await s.close();
  });

  it("reports a dropped connection during a command as appliance-unreachable", async () => {
    const s = await openSshSession({ ...endpoint, sshPort: proxy.port }, creds, trust);
    const running = s.exec(["sleep", "10"]);
    await new Promise((r) => setTimeout(r, 200));
    await proxy.stop().then(async () => (proxy = await startCutProxy(sshd.port)));
    const e = await rejection(running);
    expect(e.code).toBe("appliance-unreachable");
    expect(s.closed).toBe(true);
    expect((await rejection(s.exec(["true"]))).code).toBe("appliance-unreachable");
  });
});

describe("upload", () => {
  const MB = 1024 * 1024;

  async function localFile(name: string, size: number): Promise<{ file: string; sha: string }> {
    const file = path.join(dir, name);
    const data = randomBytes(size);
    await writeFile(file, data);
    return { file, sha: createHash("sha256").update(data).digest("hex") };
  }

  it("uploads 20 MB with progress, and sha256sum on the server agrees", async () => {
    const { file, sha } = await localFile("twenty.bin", 20 * MB);
    const remote = path.join(dir, "remote dir; with spaces.bin");
    const s = await openSshSession(endpoint, creds, trust);
    const progress: number[] = [];
    const r = await s.upload(file, remote, { onProgress: (sent, total) => (expect(total).toBe(20 * MB), progress.push(sent)) });
    expect(r).toEqual({ bytes: 20 * MB, resumedFrom: 0 });
    expect(progress.length).toBeGreaterThan(10);
    expect(progress.at(-1)).toBe(20 * MB);
    expect([...progress].sort((a, b) => a - b)).toEqual(progress);
    expect(await sha256OfRemoteFile(s, remote)).toBe(sha);
    expect((await s.stat(remote))?.size).toBe(20 * MB);
    expect(await s.remove(remote)).toBe(true);
    expect(await s.remove(remote)).toBe(false);
    expect(await s.stat(remote)).toBeNull();
    await s.close();
  });

  it("resumes after the link dropped mid-upload and ends with the same hash", async () => {
    const { file, sha } = await localFile("resume.bin", 24 * MB);
    const remote = path.join(dir, "resume-remote.bin");
    proxy.cutNextAfter(9 * MB);
    const first = await openSshSession({ ...endpoint, sshPort: proxy.port }, creds, trust);
    const e = await rejection(first.upload(file, remote));
    expect(e.code).toBe("appliance-unreachable");

    const s = await openSshSession(endpoint, creds, trust);
    const partial = (await s.stat(remote))?.size ?? 0;
    expect(partial).toBeGreaterThan(4 * MB);
    expect(partial).toBeLessThan(24 * MB);
    const r = await s.upload(file, remote, { resume: true });
    expect(r.resumedFrom).toBeGreaterThan(0);
    expect(r.resumedFrom).toBeLessThanOrEqual(partial);
    expect(await sha256OfRemoteFile(s, remote)).toBe(sha);
    await s.close();
  });

  it("starts over when the remote file is larger than the local one", async () => {
    const { file, sha } = await localFile("small.bin", 3 * MB);
    const remote = path.join(dir, "bigger-remote.bin");
    await writeFile(remote, randomBytes(4 * MB));
    const s = await openSshSession(endpoint, creds, trust);
    const r = await s.upload(file, remote, { resume: true });
    expect(r.resumedFrom).toBe(0);
    expect(createHash("sha256").update(await readFile(remote)).digest("hex")).toBe(sha);
    await s.close();
  });

  it("stops when aborted", async () => {
    const { file } = await localFile("abort.bin", 16 * MB);
    const s = await openSshSession(endpoint, creds, trust);
    const ac = new AbortController();
    const p = s.upload(file, path.join(dir, "aborted.bin"), { signal: ac.signal, onProgress: (sent) => sent > 2 * MB && ac.abort(new Error("stop")) });
    await expect(p).rejects.toThrow("stop");
    await s.close();
  });
});

// The upload's write sizing against real servers: what it reads of ssh2's SFTP channel (not in
// ssh2's types, so a new ssh2 must keep it) from OpenSSH's sshd and from the appliance simulator,
// and the size of each write it sends, with the bytes arriving intact.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHash, randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Client, SFTPWrapper } from "ssh2";
import { connectSsh } from "./ssh-connect";
import { sftpChannelLimits, uploadOverSftp, writeSizeFor } from "./sftp-upload";
import { newClientKey, startTestSshd, type TestSshd } from "./testing/openssh-server";
import { startSimulatedTarget, type SimulatedTarget } from "./testing/simulated-appliance";
import type { ApplianceCredentials, ApplianceEndpoint, ApplianceTrust } from "./types";

const key = newClientKey();
let sshd: TestSshd;
let sim: SimulatedTarget;
let dir: string;
let openssh: { endpoint: ApplianceEndpoint; credentials: ApplianceCredentials; trust: ApplianceTrust };

beforeAll(async () => {
  sshd = await startTestSshd([key.publicKey]);
  sim = await startSimulatedTarget();
  dir = await mkdtemp(path.join(tmpdir(), "fuc-upload-size-"));
  openssh = {
    endpoint: { host: "127.0.0.1", sshPort: sshd.port, restUrl: "https://127.0.0.1:1" },
    credentials: { sshUser: sshd.user, privateKey: key.privateKey, restUsername: "x", restPassword: "x" },
    trust: { sshHostKeyFingerprint: sshd.hostKeyFingerprint, restCertFingerprint: "0".repeat(64) },
  };
});

afterAll(async () => {
  await sshd?.stop();
  await sim?.stop();
  await rm(dir, { recursive: true, force: true });
});

async function withSftp<T>(target: { endpoint: ApplianceEndpoint; credentials: ApplianceCredentials; trust: ApplianceTrust }, fn: (sftp: SFTPWrapper) => Promise<T>): Promise<T> {
  const client: Client = await connectSsh(target.endpoint, target.credentials, target.trust);
  try {
    const sftp = await new Promise<SFTPWrapper>((resolve, reject) => client.sftp((err, s) => (err ? reject(err) : resolve(s))));
    return await fn(sftp);
  } finally {
    client.end();
  }
}

describe("what the upload reads of ssh2's SFTP channel", () => {
  it("OpenSSH: its write limit (limits@openssh.com) takes a four-packet write whole, on 32 KiB packets", async () => {
    const limits = await withSftp(openssh, async (sftp) => sftpChannelLimits(sftp));
    expect(limits.packetSize).toBe(32 * 1024);
    expect(limits.maxWriteLen).not.toBeNull();
    expect(limits.maxWriteLen!).toBeGreaterThanOrEqual(writeSizeFor(32 * 1024, Infinity, 4));
  });

  it("the simulator (an ssh2 server announcing OpenSSH): the same", async () => {
    const limits = await withSftp(sim, async (sftp) => sftpChannelLimits(sftp));
    expect(limits.packetSize).toBe(32 * 1024);
    expect(limits.maxWriteLen!).toBeGreaterThanOrEqual(writeSizeFor(32 * 1024, Infinity, 4));
  });
});

describe("write sizes", () => {
  it("a rate-limited upload sends one-packet writes, the last one short, and the file arrives intact", async () => {
    // Not a whole number of writes or read blocks: the tail paths run too.
    const data = randomBytes(3 * 1024 * 1024 + 12_345);
    const file = path.join(dir, "odd.bin");
    await writeFile(file, data);
    const remote = path.join(dir, "odd-remote.bin");
    const sizes: number[] = [];
    await withSftp(openssh, (sftp) => uploadOverSftp(sftp, file, remote, "test", { beforeWrite: (bytes) => void sizes.push(bytes) }));
    const one = writeSizeFor(32 * 1024, Infinity, 4, 1);
    expect(sizes.length).toBe(Math.ceil(data.length / one));
    expect(sizes.slice(0, -1).every((s) => s === one)).toBe(true);
    expect(sizes.at(-1)).toBeLessThanOrEqual(one);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(data.length);
    expect(createHash("sha256").update(await readFile(remote)).digest("hex")).toBe(createHash("sha256").update(data).digest("hex"));
  });

  it("an upload without a limiter arrives intact through the reused read buffers", async () => {
    const data = randomBytes(5 * 1024 * 1024 + 777);
    const file = path.join(dir, "reuse.bin");
    await writeFile(file, data);
    const remote = path.join(dir, "reuse-remote.bin");
    const r = await withSftp(openssh, (sftp) => uploadOverSftp(sftp, file, remote, "test"));
    expect(r).toEqual({ bytes: data.length, resumedFrom: 0 });
    expect(createHash("sha256").update(await readFile(remote)).digest("hex")).toBe(createHash("sha256").update(data).digest("hex"));
  });
});

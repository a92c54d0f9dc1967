// Measures SFTP upload throughput: our resumable pipelined upload against ssh2's fastPut and a
// plain createWriteStream pipe, to a real OpenSSH sshd on loopback (or any host:port given).
// Run: npx tsx lib/appliance/testing/upload-bench.ts [sizeMB]
import { createReadStream } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { randomBytes } from "node:crypto";
import { tmpdir } from "node:os";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import ssh2, { type Client, type SFTPWrapper } from "ssh2";
import { openSshSession } from "../ssh-session";
import { startTestSshd, newClientKey } from "./openssh-server";

const sizeMB = Number(process.argv[2] ?? 200);
const key = newClientKey();
const sshd = await startTestSshd([key.publicKey]);
const dir = await mkdtemp(path.join(tmpdir(), "fuc-bench-"));
const file = path.join(dir, "payload.bin");
const chunk = randomBytes(1024 * 1024);
await writeFile(file, Buffer.concat(Array.from({ length: sizeMB }, () => chunk)));
const endpoint = { host: "127.0.0.1", sshPort: sshd.port, restUrl: "https://127.0.0.1:1" };
const creds = { sshUser: sshd.user, privateKey: key.privateKey, restUsername: "", restPassword: "" };
const trust = { sshHostKeyFingerprint: sshd.hostKeyFingerprint, restCertFingerprint: "" };

async function rawSftp(): Promise<{ client: Client; sftp: SFTPWrapper }> {
  const client = new ssh2.Client();
  await new Promise<void>((ok, ko) => client.on("ready", ok).on("error", ko).connect({ host: "127.0.0.1", port: sshd.port, username: sshd.user, privateKey: key.privateKey }));
  const sftp = await new Promise<SFTPWrapper>((ok, ko) => client.sftp((e, s) => (e ? ko(e) : ok(s))));
  return { client, sftp };
}

async function time(label: string, fn: () => Promise<void>) {
  const runs: number[] = [];
  for (let i = 0; i < Number(process.env.BENCH_RUNS ?? 3); i++) {
    const t0 = process.hrtime.bigint();
    await fn();
    runs.push(Number(process.hrtime.bigint() - t0) / 1e9);
  }
  const best = Math.min(...runs);
  console.log(`${label.padEnd(44)} best ${(sizeMB / best).toFixed(0).padStart(4)} MB/s  runs ${runs.map((r) => (sizeMB / r).toFixed(0)).join(" / ")}`);
}

const remote = path.join(dir, "remote.bin");
try {
  const configs = (process.env.BENCH_CONFIGS ?? "64x32,32x256").split(",").map((c) => c.split("x").map(Number) as [number, number]);
  for (const [concurrency, kib] of configs) {
    const chunkSize = kib * 1024;
    await time(`upload() concurrency ${concurrency} chunk ${chunkSize / 1024} KiB`, async () => {
      const s = await openSshSession(endpoint, creds, trust);
      await s.upload(file, remote, { concurrency, chunkSize });
      await s.close();
    });
  }
  await time("ssh2 fastPut (defaults: 64 x 32 KiB)", async () => {
    const { client, sftp } = await rawSftp();
    await new Promise<void>((ok, ko) => sftp.fastPut(file, remote, (e) => (e ? ko(e) : ok())));
    client.end();
  });
  await time("createReadStream -> sftp.createWriteStream", async () => {
    const { client, sftp } = await rawSftp();
    await pipeline(createReadStream(file), sftp.createWriteStream(remote));
    client.end();
  });
} finally {
  await sshd.stop();
  await rm(dir, { recursive: true, force: true });
}

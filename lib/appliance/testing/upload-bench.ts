// Measures SFTP upload throughput: our resumable pipelined upload against ssh2's fastPut and a
// plain createWriteStream pipe, to a real OpenSSH sshd on loopback or to the appliance simulator.
// Run: npx tsx lib/appliance/testing/upload-bench.ts [sizeMB]
//   BENCH_TARGET=openssh|simulator  BENCH_CONFIGS=64x32,32x256 (writes in flight x KiB)  BENCH_RUNS=3
//   BENCH_STREAM=0 skips the createWriteStream run (it is slow).
import { createReadStream } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { randomBytes } from "node:crypto";
import { tmpdir } from "node:os";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import ssh2, { type Client, type SFTPWrapper } from "ssh2";
import { openSshSession } from "../ssh-session";
import type { ApplianceCredentials, ApplianceEndpoint, ApplianceTrust } from "../types";
import { startTestSshd, newClientKey } from "./openssh-server";
import { startSimulatedTarget } from "./simulated-appliance";

const sizeMB = Number(process.argv[2] ?? 200);
const runs = Number(process.env.BENCH_RUNS ?? 3);
const target = process.env.BENCH_TARGET ?? "openssh";

interface Target {
  endpoint: ApplianceEndpoint;
  creds: ApplianceCredentials;
  trust: ApplianceTrust;
  remote: string;
  stop(): Promise<void>;
}

async function openTarget(dir: string): Promise<Target> {
  if (target === "simulator") {
    const t = await startSimulatedTarget();
    return { endpoint: t.endpoint, creds: t.credentials, trust: t.trust, remote: "/home/ksadmin/bench.bin", stop: t.stop };
  }
  const key = newClientKey();
  const sshd = await startTestSshd([key.publicKey]);
  return {
    endpoint: { host: "127.0.0.1", sshPort: sshd.port, restUrl: "https://127.0.0.1:1" },
    creds: { sshUser: sshd.user, privateKey: key.privateKey, restUsername: "", restPassword: "" },
    trust: { sshHostKeyFingerprint: sshd.hostKeyFingerprint, restCertFingerprint: "" },
    remote: path.join(dir, "remote.bin"),
    stop: sshd.stop,
  };
}

async function time(label: string, fn: () => Promise<void>) {
  const rates: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    await fn();
    rates.push(sizeMB / (Number(process.hrtime.bigint() - t0) / 1e9));
  }
  const median = [...rates].sort((a, b) => a - b)[Math.floor(rates.length / 2)] ?? 0;
  console.log(`${label.padEnd(44)} median ${median.toFixed(0).padStart(4)} MB/s  runs ${rates.map((r) => r.toFixed(0)).join(" / ")}`);
}

const dir = await mkdtemp(path.join(tmpdir(), "fuc-bench-"));
const t = await openTarget(dir);
const file = path.join(dir, "payload.bin");
const block = randomBytes(1024 * 1024);
await writeFile(file, Buffer.concat(Array.from({ length: sizeMB }, () => block)));

async function rawSftp(): Promise<{ client: Client; sftp: SFTPWrapper }> {
  const client = new ssh2.Client();
  await new Promise<void>((ok, ko) =>
    client.on("ready", ok).on("error", ko).connect({ host: t.endpoint.host, port: t.endpoint.sshPort, username: t.creds.sshUser, privateKey: t.creds.privateKey }),
  );
  const sftp = await new Promise<SFTPWrapper>((ok, ko) => client.sftp((e, s) => (e ? ko(e) : ok(s))));
  return { client, sftp };
}

console.log(`${sizeMB} MB to ${target}, ${runs} runs each (connect + transfer + close)`);
try {
  const configs = (process.env.BENCH_CONFIGS ?? "64x32,32x256").split(",").map((c) => c.split("x").map(Number) as [number, number]);
  for (const [concurrency, kib] of configs) {
    await time(`upload() ${concurrency} in flight x ${kib} KiB`, async () => {
      const s = await openSshSession(t.endpoint, t.creds, t.trust);
      await s.upload(file, t.remote, { concurrency, chunkSize: kib * 1024 });
      await s.close();
    });
  }
  await time("ssh2 fastPut (64 x 32 KiB)", async () => {
    const { client, sftp } = await rawSftp();
    await new Promise<void>((ok, ko) => sftp.fastPut(file, t.remote, (e) => (e ? ko(e) : ok())));
    client.end();
  });
  if (process.env.BENCH_STREAM !== "0") {
    await time("createReadStream -> sftp.createWriteStream", async () => {
      const { client, sftp } = await rawSftp();
      await pipeline(createReadStream(file), sftp.createWriteStream(t.remote));
      client.end();
    });
  }
} finally {
  await t.stop();
  await rm(dir, { recursive: true, force: true });
}

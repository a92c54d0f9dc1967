// Benchmark 2, distribution: the distribution worker's SFTP upload (copyWithinLimits in
// workers/distribute-archive.ts, run by a worker-like child process) of a flags.archiveBytes file
// (a) to a private OpenSSH sshd on loopback beside OpenSSH's own `scp` of the same file to the same
// server, runs alternating; (b) to flags.nodes simulated appliances at once from one process, its
// aggregate against that single-node scp figure, and the process's peak memory.
import { spawn, spawnSync } from "node:child_process";
import { randomBytes, randomFillSync, randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import readline from "node:readline";
import { Redis } from "ioredis";
import { newClientKey, startTestSshd, type TestSshd } from "@/lib/appliance/testing/openssh-server";
import { startChild, type Child } from "../lib/children";
import type { ChildJob, ChildReport, ChildTarget } from "./distribution/upload-child";
import { cpuSeconds, sampleRss, stallMicros } from "./distribution/proc";
import type { Bench, BenchContext, BenchResult, BenchRow } from "./types";
import type { SimEndpoint } from "./sim-fleet";

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;
/** Single-node runs of each tool, ours and scp in turn (alternating which goes first). */
const RUNS = 2;
const MEMORY_CAP = 256 * MiB;

const round = (n: number, digits = 1) => Number(n.toFixed(digits));
const mibps = (bytes: number, seconds: number) => bytes / MiB / seconds;

function fmtBytes(bytes: number): string {
  if (bytes >= 1024 ** 3 && bytes % 1024 ** 3 === 0) return `${bytes / 1024 ** 3} GiB`;
  if (bytes >= MiB) return `${round(bytes / MiB)} MiB`;
  return `${round(bytes / 1024)} KiB`;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Random (incompressible) bytes, made once per size and kept in <root>/.data/bench-cache. */
async function cachedRandomFile(root: string, bytes: number, say: (l: string) => void): Promise<string> {
  const dir = path.join(root, ".data", "bench-cache", "distribution");
  const file = path.join(dir, `random-${bytes}.bin`);
  if (fs.statSync(file, { throwIfNoEntry: false })?.size === bytes) return file;
  fs.mkdirSync(dir, { recursive: true });
  say(`distribution: writing ${fmtBytes(bytes)} of random bytes to ${file} (once)`);
  const tmp = `${file}.partial-${process.pid}`;
  const out = await fs.promises.open(tmp, "w");
  try {
    const block = Buffer.allocUnsafe(4 * MiB);
    for (let done = 0; done < bytes; ) {
      const n = Math.min(block.length, bytes - done);
      randomFillSync(block, 0, n);
      await out.write(block, 0, n);
      done += n;
    }
  } finally {
    await out.close();
  }
  fs.renameSync(tmp, file);
  return file;
}

interface ChildRun {
  report: ChildReport;
  /** VmRSS of the child sampled every 50 ms, and getrusage's peak: the higher of the two. */
  peakRssBytes: number;
}

/** Runs the worker-like child on the job's targets and waits for its report; `onStart`/`onDone` run when it starts and ends copying. */
async function runUploadChild(ctx: BenchContext, dir: string, queuePrefix: string, job: ChildJob, hooks: { onStart?(): void; onDone?(): void } = {}): Promise<ChildRun> {
  const jobFile = path.join(dir, `job-${randomUUID()}.json`);
  fs.writeFileSync(jobFile, JSON.stringify(job), { mode: 0o600 });
  const env = {
    ...process.env,
    REDIS_URL: ctx.redisUrl,
    FLEET_QUEUE_PREFIX: queuePrefix,
    FLEET_MASTER_KEY: process.env.FLEET_MASTER_KEY ?? randomBytes(32).toString("base64"),
    LOG_LEVEL: "warn",
  };
  // node itself, not the tsx wrapper: /proc/<pid> is then the process doing the uploads.
  const child = spawn(process.execPath, ["--import", "tsx", path.join(ctx.root, "scripts/bench/distribution/upload-child.ts"), jobFile], { cwd: ctx.root, env, stdio: ["ignore", "pipe", "pipe"] });
  const sampler = sampleRss(child.pid!);
  let report: ChildReport | null = null;
  let stderr = "";
  readline.createInterface({ input: child.stdout }).on("line", (line) => {
    if (!line.startsWith("{")) return;
    const msg = JSON.parse(line) as ChildReport | { started: true };
    if ("started" in msg) hooks.onStart?.();
    else {
      report = msg;
      hooks.onDone?.();
    }
  });
  child.stderr.on("data", (b: Buffer) => (stderr += b.toString()));
  const code = await new Promise<number | null>((resolve) => child.once("close", resolve));
  const sampled = sampler.stop();
  fs.rmSync(jobFile, { force: true });
  if (code !== 0 || !report) throw new Error(`the upload child exited with ${code}: ${stderr.trim().split("\n").slice(-8).join("\n")}`);
  const done: ChildReport = report;
  return { report: done, peakRssBytes: Math.max(sampled, done.maxRssBytes) };
}

interface Stall {
  /** Shares of the time some task waited for a CPU, and for I/O (Linux PSI); null without /proc/pressure. */
  cpu: number | null;
  io: number | null;
}

/** Starts measuring contention; the function returned gives the stalled shares of the time since. */
function stallMeter(): () => Stall {
  const t0 = process.hrtime.bigint();
  const cpu0 = stallMicros("cpu");
  const io0 = stallMicros("io");
  return () => {
    const micros = Number(process.hrtime.bigint() - t0) / 1000;
    const share = (a: number | null, b: number | null) => (a === null || b === null ? null : (b - a) / micros);
    return { cpu: share(cpu0, stallMicros("cpu")), io: share(io0, stallMicros("io")) };
  };
}

/** Ciphers sshd negotiated (client->server) in its log after `from`; LogLevel DEBUG1 prints them. */
function ciphersSince(sshd: TestSshd, from: number): string[] {
  return [...new Set([...sshd.log().slice(from).matchAll(/kex: client->server cipher: (\S+)/g)].map((m) => m[1]!))];
}

interface SingleNode {
  ours: number[];
  scp: number[];
  oursCiphers: string[];
  scpCiphers: string[];
  oursPeakRss: number;
  /** The worker's CPU seconds per GiB sent, each run. */
  oursCpuPerGiB: number[];
  /** Contention over all runs. */
  stall: Stall;
}

async function singleNode(ctx: BenchContext, dir: string, queuePrefix: string, file: string, bytes: number): Promise<SingleNode> {
  const key = newClientKey();
  // DEBUG1 so sshd logs the cipher each connection negotiated.
  const sshd = await startTestSshd([key.publicKey], { logLevel: "DEBUG1" });
  try {
    const keyFile = path.join(dir, "client_key");
    fs.writeFileSync(keyFile, key.privateKey, { mode: 0o600 });
    const knownHosts = path.join(dir, "known_hosts");
    fs.writeFileSync(knownHosts, `[127.0.0.1]:${sshd.port} ${sshd.hostPublicKey}\n`);
    const remote = path.join(dir, "remote", path.basename(file));
    fs.mkdirSync(path.dirname(remote), { recursive: true });
    const target: ChildTarget = {
      name: "openssh",
      endpoint: { host: "127.0.0.1", sshPort: sshd.port, restUrl: "https://127.0.0.1:1" },
      credentials: { sshUser: sshd.user, privateKey: key.privateKey, restUsername: "", restPassword: "" },
      trust: { sshHostKeyFingerprint: sshd.hostKeyFingerprint, restCertFingerprint: "" },
      remote,
    };
    const result: SingleNode = { ours: [], scp: [], oursCiphers: [], scpCiphers: [], oursPeakRss: 0, oursCpuPerGiB: [], stall: { cpu: null, io: null } };
    const checkArrived = (who: string) => {
      const size = fs.statSync(remote, { throwIfNoEntry: false })?.size;
      if (size !== bytes) throw new Error(`${who}: ${remote} has ${size ?? "no"} bytes after the copy, expected ${bytes}`);
      fs.rmSync(remote);
    };
    const runOurs = async () => {
      fs.rmSync(remote, { force: true });
      const from = sshd.log().length;
      const run = await runUploadChild(ctx, dir, queuePrefix, { file, campaignId: randomUUID(), targets: [target] });
      checkArrived("ours");
      result.ours.push(mibps(bytes, run.report.seconds));
      result.oursCiphers.push(...ciphersSince(sshd, from));
      result.oursPeakRss = Math.max(result.oursPeakRss, run.peakRssBytes);
      result.oursCpuPerGiB.push(run.report.cpuSeconds / (bytes / GiB));
      ctx.say(`distribution: 1 node, ours ${round(mibps(bytes, run.report.seconds))} MiB/s`);
    };
    const runScp = async () => {
      fs.rmSync(remote, { force: true });
      const from = sshd.log().length;
      const seconds = await scp(keyFile, knownHosts, sshd, file, remote);
      checkArrived("scp");
      result.scp.push(mibps(bytes, seconds));
      result.scpCiphers.push(...ciphersSince(sshd, from));
      ctx.say(`distribution: 1 node, scp ${round(mibps(bytes, seconds))} MiB/s`);
    };
    const stall = stallMeter();
    for (let i = 0; i < RUNS; i++) {
      if (i % 2 === 0) {
        await runOurs();
        await runScp();
      } else {
        await runScp();
        await runOurs();
      }
    }
    result.stall = stall();
    result.oursCiphers = [...new Set(result.oursCiphers)];
    result.scpCiphers = [...new Set(result.scpCiphers)];
    return result;
  } finally {
    await sshd.stop();
  }
}

/** OpenSSH's scp with its defaults (SFTP protocol, its own cipher choice), the host key pinned, no compression. */
async function scp(keyFile: string, knownHosts: string, sshd: TestSshd, file: string, remote: string): Promise<number> {
  const args = [
    "-q",
    "-F", "/dev/null",
    "-i", keyFile,
    "-P", String(sshd.port),
    "-o", "IdentitiesOnly=yes",
    "-o", "BatchMode=yes",
    "-o", `UserKnownHostsFile=${knownHosts}`,
    "-o", "GlobalKnownHostsFile=/dev/null",
    "-o", "StrictHostKeyChecking=yes",
    "-o", "Compression=no",
    file,
    `${sshd.user}@127.0.0.1:${remote}`,
  ];
  const t0 = process.hrtime.bigint();
  const child = spawn("scp", args, { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (b: Buffer) => (stderr += b.toString()));
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (code !== 0) throw new Error(`scp exited with ${code}: ${stderr.trim()}`);
  return seconds;
}

/** What simulator/cli.ts prints of each appliance that this benchmark reads. */
type SimAppliance = Pick<SimEndpoint, "name" | "host" | "sshPort" | "restUrl" | "sshHostKeyFingerprint" | "restCertFingerprint">;

interface ManyNodes {
  run: ChildRun;
  /** The simulator's CPU time while the child copied. */
  simulatorCpuSeconds: number;
  stall: Stall;
}

/** flags.nodes simulated appliances in one simulator process, all receiving the file at once from one child. */
async function manyNodes(ctx: BenchContext, dir: string, queuePrefix: string, file: string, bytes: number, nodes: number): Promise<ManyNodes> {
  const key = newClientKey();
  const fleetDir = path.join(dir, "fleet");
  fs.mkdirSync(fleetDir, { recursive: true });
  const names = Array.from({ length: nodes }, (_, i) => `bench-${String(i + 1).padStart(2, "0")}`);
  const config = {
    stateDir: path.join(fleetDir, "state"),
    timeScale: 0.01,
    // Room for the copy on each simulated `/` whatever the archive size.
    defaults: { authorizedKeys: [key.publicKey], diskTotalBytes: 4 * bytes + 200 * 1024 ** 3, diskFreeBytes: 2 * bytes + 120 * 1024 ** 3 },
    appliances: names.map((name) => ({ name })),
  };
  const configFile = path.join(fleetDir, "fleet.json");
  fs.writeFileSync(configFile, JSON.stringify(config));
  let line: string | null = null;
  let gotLine: () => void = () => undefined;
  const lineSeen = new Promise<void>((r) => (gotLine = r));
  // node itself, not the tsx wrapper, so /proc/<pid> is the simulator's own CPU time.
  const sim: Child = startChild("simulator", process.execPath, ["--import", "tsx", path.join(ctx.root, "simulator/cli.ts"), "--config", configFile, "--free-ports"], process.env, {
    quiet: true,
    onLine: (l) => {
      if (line === null && l.startsWith("{")) {
        line = l;
        gotLine();
      }
    },
  });
  try {
    const exited = new Promise<never>((_, reject) => sim.process.once("exit", (code) => reject(new Error(`the simulator exited (${code}) before it was ready:\n${sim.tail.slice(-8).join("\n")}`))));
    exited.catch(() => undefined);
    await Promise.race([lineSeen, exited]);
    const appliances = (JSON.parse(line!) as { appliances: SimAppliance[] }).appliances;
    const remote = `/home/ksadmin/${path.basename(file)}`;
    const targets: ChildTarget[] = appliances.map((a) => ({
      name: a.name,
      endpoint: { host: a.host, sshPort: a.sshPort, restUrl: a.restUrl },
      credentials: { sshUser: "ksadmin", privateKey: key.privateKey, restUsername: "admin", restPassword: "admin" },
      trust: { sshHostKeyFingerprint: a.sshHostKeyFingerprint, restCertFingerprint: a.restCertFingerprint },
      remote,
    }));
    const simPid = sim.process.pid!;
    let cpu0 = 0;
    let cpu1 = 0;
    let meter: () => Stall = () => ({ cpu: null, io: null });
    let stall: Stall = { cpu: null, io: null };
    const run = await runUploadChild(ctx, dir, queuePrefix, { file, campaignId: randomUUID(), targets }, {
      onStart: () => {
        cpu0 = cpuSeconds(simPid) ?? 0;
        meter = stallMeter();
      },
      onDone: () => {
        cpu1 = cpuSeconds(simPid) ?? 0;
        stall = meter();
      },
    });
    const simulatorCpuSeconds = cpu1 - cpu0;
    for (const name of names) {
      const local = path.join(config.stateDir, name, "home", "ksadmin", path.basename(file));
      const size = fs.statSync(local, { throwIfNoEntry: false })?.size;
      if (size !== bytes) throw new Error(`${name}: the simulator holds ${size ?? "no"} bytes of the copy, expected ${bytes}`);
    }
    return { run, simulatorCpuSeconds, stall };
  } finally {
    await sim.stop();
    fs.rmSync(fleetDir, { recursive: true, force: true });
  }
}

/** "OpenSSH_9.2p1" from `ssh -V`. */
function opensshVersion(): string {
  const r = spawnSync("ssh", ["-V"], { encoding: "utf8" });
  return /OpenSSH_\S+/.exec(`${r.stderr}${r.stdout}`)?.[0]?.replace(/,$/, "") ?? "OpenSSH";
}

/** Keys a child left behind if it failed half-way (it deletes its own on success). */
async function dropRedisKeys(redisUrl: string, prefix: string): Promise<void> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 3, lazyConnect: true });
  try {
    await redis.connect();
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 1000);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== "0");
  } finally {
    redis.disconnect();
  }
}

async function run(ctx: BenchContext): Promise<BenchResult> {
  const bytes = ctx.flags.archiveBytes;
  const nodes = ctx.flags.nodes;
  const size = fmtBytes(bytes);
  const file = await cachedRandomFile(ctx.root, bytes, ctx.say);
  const dir = fs.mkdtempSync(path.join(ctx.workDir, "distribution-"));
  // The children's Redis keys (upload slots, progress) live under a prefix of this run only.
  const queuePrefix = `bench-dist-${randomUUID().slice(0, 8)}`;
  try {
    const one = await singleNode(ctx, dir, queuePrefix, file, bytes);
    const many = await manyNodes(ctx, dir, queuePrefix, file, bytes, nodes);
    const sshVersion = opensshVersion();
    const ours1 = median(one.ours);
    const scp1 = median(one.scp);
    const report = many.run.report;
    const aggregate = mibps(report.bytes, report.seconds);
    const oursCipher = one.oursCiphers.join(", ") || "unknown";
    const scpCipher = one.scpCiphers.join(", ") || "unknown";
    const sentGiB = report.bytes / GiB;
    const workerPerGiB = report.cpuSeconds / sentGiB;
    const simPerGiB = many.simulatorCpuSeconds / sentGiB;
    // What two otherwise idle cores would allow, from the CPU the two processes spent per byte.
    const ceiling = (2 / (workerPerGiB + simPerGiB)) * 1024;
    const pct = (share: number | null) => (share === null ? "(not measured)" : `${Math.round(share * 100)} %`);
    const stalled = (s: Stall) => `some task waited for a CPU ${pct(s.cpu)} and for I/O ${pct(s.io)} of the time (Linux PSI)`;
    const rows: BenchRow[] = [
      {
        id: "2a",
        figure: `distribution, 1 node, ${size} over SFTP to a local OpenSSH sshd: throughput (ours ${oursCipher}, scp ${scpCipher})`,
        ours: round(ours1),
        baseline: round(scp1),
        unit: "MiB/s",
        better: "higher",
        goal: "≥ baseline",
        met: ours1 >= scp1,
        note: `medians of ${RUNS} runs each: ours ${one.ours.map((r) => round(r)).join(" / ")}, scp ${one.scp.map((r) => round(r)).join(" / ")}; ours used ${round(median(one.oursCpuPerGiB), 2)} s of CPU per GiB`,
      },
      {
        id: "2b",
        figure: `distribution, ${nodes} simulated nodes in parallel from one worker process, ${size} each: aggregate throughput`,
        ours: round(aggregate),
        baseline: round(scp1),
        unit: "MiB/s",
        better: "higher",
        goal: "≥ single-node scp",
        met: aggregate >= scp1,
        note: `${fmtBytes(report.bytes)} in ${round(report.seconds)} s; CPU per GiB: worker ${round(workerPerGiB, 2)} s, simulator ${round(simPerGiB, 2)} s`,
      },
      {
        id: "2c",
        figure: `distribution, ${nodes} simulated nodes in parallel, ${size} each: worker process peak RSS`,
        ours: round(many.run.peakRssBytes / MiB),
        baseline: null,
        unit: "MiB",
        better: "lower",
        goal: "< 256 MiB",
        met: many.run.peakRssBytes < MEMORY_CAP,
        note: `1 node: ${round(one.oursPeakRss / MiB)} MiB`,
      },
    ];
    const notes = [
      `Method. One file of ${size} of random bytes, made once and kept in .data/bench-cache/distribution. Ours is the distribution worker's own upload: \`copyWithinLimits\` from workers/distribute-archive.ts (an upload slot from Redis, the idle watchdog, progress into Redis every 500 ms, then \`session.upload\` with resume and the worker's defaults), in a separate process as a worker runs it (\`node --import tsx scripts/bench/distribution/upload-child.ts\`), timed inside that process from the SSH connect to the session closed. The baseline is OpenSSH's \`scp\` (${sshVersion}; its default SFTP protocol) of the same file with the same client key to the same server, the host key pinned in a known_hosts file, \`Compression=no\`, timed from spawn to exit. The server is a private OpenSSH sshd on loopback (lib/appliance/testing/openssh-server.ts, \`internal-sftp\`). ${RUNS} runs of each in turn, alternating which goes first; the figures are medians. Each tool keeps its own default cipher, the fair comparison of what each does out of the box; sshd's log names what was negotiated: ours ${oursCipher} (ssh2 puts AES-GCM first on a CPU with AES-NI), scp ${scpCipher}. During these runs ${stalled(one.stall)}: other processes compete for this machine, which is why single figures move a lot from run to run.`,
      `${nodes} nodes. ${nodes} appliances of one simulator process (simulator/cli.ts: an ssh2 server and its SFTP subsystem, writing each copy to its state directory) receive the file at once from one worker-like process as above, with ${nodes} upload slots (a campaign's default is 4). Aggregate = ${nodes} × ${size} / the time from the first connect to the last session closed, against the single-node scp figure. Peak memory is the worker process's VmRSS sampled every 50 ms (and its getrusage peak); the process's own imports (tsx, Prisma client, ioredis, ssh2) hold about 125 MiB of it before any upload. The worker and the simulator share the 2 cores: per GiB sent the worker spent ${round(workerPerGiB, 2)} s of CPU and the simulator ${round(simPerGiB, 2)} s, so on two otherwise idle cores the pair could reach about ${Math.round(ceiling)} MiB/s; during this run ${stalled(many.stall)}. The simulator's share is an artefact of testing on one machine: each real appliance decrypts and writes on its own CPU and disk.`,
      `Changes this benchmark led to (lib/appliance/sftp-upload.ts). Each SFTP request costs CPU on both ends whatever its size, and a 32 KiB WRITE plus its 29-byte header took two SSH packets, the second 29 bytes long. Writes are now sized to fill exactly four channel packets (131,043 bytes against OpenSSH, from the channel's packet size and ssh2's write limit; one packet when a site bandwidth limit paces the upload, so the pace stays even), 16 in flight (the same 2 MiB as before), and the two 1 MiB read buffers are reused (ssh2 copies a write into its packet before returning) instead of a new one per MiB. Measured on this machine with the old code and the new alternating (10 simulated nodes × 256 MiB from one process, two rounds, under the same contention): aggregate 64 and 81 MiB/s before, 101 and 113 after; worker CPU 7.6 and 6.9 s/GiB before, 5.1 and 4.5 after; simulator 10.7 and 10.1 s/GiB before, 8.1 and 7.0 after. With one node the CPU per GiB fell from about 7.5 to 3.7 s in the worker and from 11 to 4.8 s in the simulator.`,
    ];
    return { rows, notes };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
    await dropRedisKeys(ctx.redisUrl, `${queuePrefix}:`).catch(() => undefined);
  }
}

export const bench: Bench = { id: "2", title: "Distribution: SFTP upload to OpenSSH and to simulated nodes", run };

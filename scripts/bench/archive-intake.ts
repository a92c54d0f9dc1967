// Benchmark 1, archive intake: a signed archive PUT through the console's real upload route over
// HTTP (as the browser's upload panel sends it), received, hashed and its signature verified,
// beside `sha256sum` + `gpg --verify` of the same file. Three files, all made by real gpg with the
// test vendor key: gpg's default (ZIP-compressed) signed file, a `-z 0` signed file, and a
// .tar.gz with a detached signature. Also the web process's peak memory during each upload.
import { spawn } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { removeQueueKeys } from "./console-clients";
import pg from "pg";
import { startStack, type Stack } from "../lib/stack";
import { freePort, withDatabase } from "../lib/services";
import { keyPath, tarGzPayload } from "../../simulator/archives";
import type { Bench, BenchContext, BenchResult, BenchRow } from "./types";

const MiB = 1024 * 1024;
const MEMORY_CAP_MIB = 256;
const VERSION = "2.21.0+1";
const PAYLOAD_NAME = `ks_upgrade_${VERSION}.tar.gz`;
// Bump when the way the files are made changes, so a stale cache is never measured.
const CACHE_VERSION = "v1";

export type IntakeVariant = "compressed" | "uncompressed" | "detached";

export interface IntakeFile {
  variant: IntakeVariant;
  /** What is uploaded (the archive, or the payload of a detached signature). */
  path: string;
  fileName: string;
  signaturePath: string | null;
  bytes: number;
}

const VARIANTS: { variant: IntakeVariant; id: string; label: string; gpgArgs: string[] }[] = [
  { variant: "compressed", id: "a", label: "gpg default (ZIP-compressed) signed file", gpgArgs: ["--sign"] },
  { variant: "uncompressed", id: "b", label: "`gpg -z 0` signed file", gpgArgs: ["--sign", "-z", "0"] },
  { variant: "detached", id: "c", label: ".tar.gz with a detached signature", gpgArgs: ["--detach-sign"] },
];

// ---------------------------------------------------------------------------------------------
// Test files, made once per size and kept in <root>/.data/bench-cache (git-ignored).

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env, input?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => { if (stdout.length < 65536) stdout += d.toString(); });
    child.stderr.on("data", (d: Buffer) => { if (stderr.length < 65536) stderr += d.toString(); });
    child.once("error", reject);
    child.once("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
    // A command that reads no input may exit before its stdin is closed: that EPIPE is no failure
    // (the exit code says whether the command worked).
    child.stdin.on("error", () => undefined);
    child.stdin.end(input ?? "");
  });
}

async function mustRun(cmd: string, args: string[], env?: NodeJS.ProcessEnv, input?: string): Promise<string> {
  const r = await run(cmd, args, env, input);
  if (r.code !== 0) throw new Error(`${cmd} ${args.join(" ")} exited ${r.code}: ${r.stderr.trim().slice(-2000)}`);
  return r.stdout;
}

/** A private GNUPGHOME holding the vendor key (secret too for signing), trusted ultimately. */
async function gpgHome(dir: string, withSecret: boolean): Promise<NodeJS.ProcessEnv> {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const env = { ...process.env, GNUPGHOME: dir };
  await mustRun("gpg", ["--batch", "--quiet", "--import", keyPath("test-vendor", withSecret ? "sec" : "pub")], env);
  const listing = await mustRun("gpg", ["--batch", "--with-colons", "--fingerprint", "test-vendor@example.invalid"], env);
  const fpr = /^fpr:+([0-9A-F]{40}):/m.exec(listing)?.[1];
  if (!fpr) throw new Error(`gpg did not list the test vendor key in ${dir}`);
  await mustRun("gpg", ["--batch", "--import-ownertrust"], env, `${fpr}:6:\n`);
  return env;
}

async function writeAtomically(target: string, make: (tmp: string) => Promise<void>): Promise<void> {
  if (fs.existsSync(target)) return;
  const tmp = `${target}.partial-${process.pid}`;
  fs.rmSync(tmp, { force: true });
  try {
    await make(tmp);
    fs.renameSync(tmp, target);
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

/** The three files of `bytes` (payload size), made with real gpg unless cached from an earlier run. */
export async function intakeFiles(root: string, workDir: string, bytes: number, say: (l: string) => void): Promise<IntakeFile[]> {
  const dir = path.join(root, ".data", "bench-cache", `archive-intake-${CACHE_VERSION}`, String(bytes));
  fs.mkdirSync(dir, { recursive: true });
  const payload = path.join(dir, PAYLOAD_NAME);
  const targets = {
    compressed: path.join(dir, "compressed", `${PAYLOAD_NAME}.gpg`),
    uncompressed: path.join(dir, "uncompressed", `${PAYLOAD_NAME}.gpg`),
    detached: `${payload}.sig`,
  };
  let signEnv: NodeJS.ProcessEnv | null = null;
  const signer = async () => (signEnv ??= await gpgHome(path.join(workDir, "gnupg-sign"), true));
  await writeAtomically(payload, async (tmp) => {
    say(`making a ${fmtBytes(bytes)} .tar.gz payload (cached in ${path.relative(root, dir)})`);
    const out = fs.createWriteStream(tmp);
    for await (const chunk of tarGzPayload(VERSION, bytes)) if (!out.write(chunk)) await new Promise<void>((r) => out.once("drain", () => r()));
    await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
  });
  for (const v of VARIANTS) {
    const target = targets[v.variant];
    fs.mkdirSync(path.dirname(target), { recursive: true });
    await writeAtomically(target, async (tmp) => {
      const t0 = performance.now();
      say(`signing it with gpg ${v.gpgArgs.join(" ")} (once; cached)`);
      // gpg names the literal data after its input file, so the payload keeps the archive's name.
      await mustRun("gpg", ["--batch", "--yes", "-u", "test-vendor@example.invalid", ...v.gpgArgs, "-o", tmp, payload], await signer());
      say(`  took ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    });
  }
  return VARIANTS.map(({ variant }) => {
    const file = variant === "detached" ? payload : targets[variant];
    return {
      variant, path: file, fileName: path.basename(file),
      signaturePath: variant === "detached" ? targets.detached : null,
      bytes: fs.statSync(file).size,
    };
  });
}

// ---------------------------------------------------------------------------------------------
// Memory of the web process: VmRSS of `next start` and every process under it, summed.

function childrenOf(pid: number): number[] {
  try {
    return fs.readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

function treeOf(pid: number): number[] {
  const all = [pid];
  for (let i = 0; i < all.length; i++) all.push(...childrenOf(all[i]!));
  return all;
}

function rssKiB(pid: number): number {
  try {
    const m = /^VmRSS:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0; // exited between listing and reading
  }
}

/** The process of ours listening on `port`: `next start` (it renames itself next-server). */
export function findWebPid(port: number): number {
  const hexPort = port.toString(16).toUpperCase().padStart(4, "0");
  const inodes = new Set<string>();
  for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    const lines = fs.existsSync(table) ? fs.readFileSync(table, "utf8").split("\n").slice(1) : [];
    for (const line of lines) {
      const f = line.trim().split(/\s+/);
      if (f[1]?.endsWith(`:${hexPort}`) && f[3] === "0A") inodes.add(f[9] ?? "");
    }
  }
  const owner = treeOf(process.pid).find((pid) => {
    try {
      return fs.readdirSync(`/proc/${pid}/fd`).some((fd) => {
        const m = /^socket:\[(\d+)\]$/.exec(fs.readlinkSync(`/proc/${pid}/fd/${fd}`));
        return m !== null && inodes.has(m[1]!);
      });
    } catch {
      return false;
    }
  });
  if (owner === undefined) throw new Error(`no process under this one (pid ${process.pid}) listens on port ${port}`);
  return owner;
}

function webRssMiB(webPid: number): number {
  return treeOf(webPid).reduce((sum, pid) => sum + rssKiB(pid), 0) / 1024;
}

const CLOCK_TICKS = 100; // USER_HZ, 100 on Linux

/** CPU seconds (user + system) the web process and its children have used so far. */
function webCpuSeconds(webPid: number): number {
  return treeOf(webPid).reduce((sum, pid) => {
    try {
      // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
      const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").replace(/^.*\) /s, "").split(" ");
      return sum + (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
    } catch {
      return sum;
    }
  }, 0);
}

class RssSampler {
  peak = 0;
  private timer: NodeJS.Timeout;
  constructor(private readonly pid: number, everyMs = 50) {
    this.sample();
    this.timer = setInterval(() => this.sample(), everyMs);
  }
  private sample() {
    this.peak = Math.max(this.peak, webRssMiB(this.pid));
  }
  stop(): number {
    clearInterval(this.timer);
    this.sample();
    return this.peak;
  }
}

// ---------------------------------------------------------------------------------------------
// Ours: the console's upload route, over HTTP, as components/archives/archive-upload-panel.tsx sends it.

interface Session {
  url: string;
  cookie: string;
}

async function signIn(stack: Stack): Promise<Session> {
  const res = await fetch(`${stack.url}/api/auth/sign-in`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: stack.url },
    body: JSON.stringify({ email: stack.admin.email, password: stack.admin.password }),
  });
  if (res.status !== 200) throw new Error(`sign-in as ${stack.admin.email} answered ${res.status}: ${await res.text()}`);
  const cookie = res.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
  if (!cookie) throw new Error("sign-in answered 200 without a session cookie");
  return { url: stack.url, cookie };
}

async function api(s: Session, method: string, urlPath: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${s.url}${urlPath}`, {
    method, headers: { cookie: s.cookie, origin: s.url, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${urlPath} answered ${res.status}: ${text.slice(0, 500)}`);
  return text ? (JSON.parse(text) as unknown) : null;
}

interface UploadOutcome {
  seconds: number;
  /** From the last body byte written to the verdict: the verification the upload could not hide. */
  tailSeconds: number;
  /** CPU the web process used for this upload (user + system). */
  cpuSeconds: number;
  peakRssMiB: number;
  status: number;
  archive: { id?: string; status?: string; refusalReason?: string | null; format?: string | null; sha256?: string | null; storedPath?: string | null; signaturePath?: string | null };
}

/**
 * PUTs the file as the browser does (XMLHttpRequest.send(file): raw body, Content-Length, a ticket
 * it then polls), the detached signature in its header. Timed from the first body byte written to
 * the end of the response that says verified.
 */
async function uploadThroughConsole(s: Session, file: IntakeFile, webPid: number): Promise<UploadOutcome> {
  const ticket = crypto.randomUUID();
  const headers: Record<string, string> = {
    cookie: s.cookie, origin: s.url, "content-length": String(file.bytes), "content-type": "application/octet-stream",
  };
  if (file.signaturePath) headers["x-detached-signature"] = fs.readFileSync(file.signaturePath).toString("base64");
  const url = new URL(`${s.url}/api/archives/upload?name=${encodeURIComponent(file.fileName)}&ticket=${ticket}`);
  const sampler = new RssSampler(webPid);
  const cpu0 = webCpuSeconds(webPid);
  let polling = true;
  const poll = async () => {
    // The panel polls the progress once the body is sent: part of the load the server sees.
    while (polling) {
      await fetch(`${s.url}/api/archives/progress/${ticket}`, { headers: { cookie: s.cookie } }).then((r) => r.arrayBuffer()).catch(() => null);
      await new Promise((r) => setTimeout(r, 250));
    }
  };
  let t0 = 0;
  let sent = 0;
  try {
    const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.request(url, { method: "PUT", headers, agent: false }, (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (d: string) => (text += d));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
        res.on("error", reject);
      });
      req.on("error", reject);
      const source = fs.createReadStream(file.path, { highWaterMark: MiB });
      source.once("data", () => (t0 = performance.now()));
      source.on("error", (e) => req.destroy(e));
      source.on("end", () => {
        sent = performance.now();
        void poll();
      });
      source.pipe(req);
    });
    const end = performance.now();
    const seconds = (end - t0) / 1000;
    let archive: UploadOutcome["archive"] = {};
    try {
      archive = JSON.parse(body) as UploadOutcome["archive"];
    } catch {
      // reported below with the raw body
    }
    if (status !== 201 || archive.status !== "verified") {
      throw new Error(`upload of ${file.fileName} (${file.variant}) answered ${status}: ${body.slice(0, 500)}`);
    }
    return { seconds, tailSeconds: (end - sent) / 1000, cpuSeconds: webCpuSeconds(webPid) - cpu0, peakRssMiB: sampler.peak, status, archive };
  } finally {
    polling = false;
    sampler.stop();
  }
}

// ---------------------------------------------------------------------------------------------
// Baseline: sha256sum then gpg --verify, with a GNUPGHOME that trusts only the vendor's public key.

// One shell runs both so that its `times` can report their CPU (Node cannot see a child's usage).
const BASELINE_SCRIPT = 'sha256sum -- "$1" && if [ -n "$2" ]; then gpg --batch --status-fd 2 --verify -- "$2" "$1"; else gpg --batch --status-fd 2 --verify -- "$1"; fi; rc=$?; times >&2; exit $rc';

async function baseline(file: IntakeFile, env: NodeJS.ProcessEnv): Promise<{ seconds: number; cpuSeconds: number; sha256: string }> {
  const t0 = performance.now();
  const r = await run("bash", ["-c", BASELINE_SCRIPT, "baseline", file.path, file.signaturePath ?? ""], env);
  const seconds = (performance.now() - t0) / 1000;
  if (r.code !== 0 || !/\[GNUPG:\] VALIDSIG/.test(r.stderr)) throw new Error(`sha256sum + gpg --verify ${file.fileName} failed (${r.code}): ${r.stderr.slice(-1000)}`);
  // `times` prints the shell's user and system time, then its children's: "0m12.345s 0m1.234s".
  const children = r.stderr.trim().split("\n").at(-1) ?? "";
  const cpuSeconds = [...children.matchAll(/(\d+)m([\d.]+)s/g)].reduce((sum, m) => sum + Number(m[1]) * 60 + Number(m[2]), 0);
  return { seconds, cpuSeconds, sha256: r.stdout.split(/\s/)[0] ?? "" };
}

// ---------------------------------------------------------------------------------------------

const round = (x: number, digits = 1) => Number(x.toFixed(digits));
function fmtBytes(n: number): string {
  return n >= 1024 ** 3 ? `${round(n / 1024 ** 3, 2)} GiB` : n >= MiB ? `${round(n / MiB)} MiB` : `${round(n / 1024)} KiB`;
}

/** Pairs of runs per file: at 2 GiB a pair takes about a minute, and the whole suite has ~12. */
function runsFor(bytes: number): number {
  return bytes >= 1024 * MiB ? 2 : 3;
}

/**
 * Reads the file once, untimed, so that both sides start from the page cache: this VM's kernel
 * reclaims cold page cache (DAMON) even with memory free, so a file read a minute ago may be gone.
 */
async function warm(file: string): Promise<void> {
  const handle = await fs.promises.open(file, "r");
  try {
    const buffer = Buffer.allocUnsafe(4 * MiB);
    while ((await handle.read(buffer, 0, buffer.length, null)).bytesRead > 0) {
      // only the reading matters
    }
  } finally {
    await handle.close();
  }
}

async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: withDatabase(serverUrl, "postgres") });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

export async function runArchiveIntake(ctx: BenchContext): Promise<BenchResult> {
  const bytes = ctx.flags.archiveBytes;
  const files = await intakeFiles(ctx.root, ctx.workDir, bytes, ctx.say);
  const verifyEnv = await gpgHome(path.join(ctx.workDir, "gnupg-verify"), false);
  const suffix = crypto.randomBytes(4).toString("hex");
  const dbName = `fleet_bench_intake_${suffix}`;
  const queuePrefix = `fleet-bench-intake-${suffix}`;
  const dataDir = path.join(ctx.workDir, "intake-console");
  const runs = runsFor(bytes);
  let stack: Stack | null = null;
  try {
    const port = await freePort();
    stack = await startStack({
      root: ctx.root, dataDir, port, quiet: true,
      databaseUrl: withDatabase(ctx.postgresUrl, dbName), redisUrl: ctx.redisUrl,
      queuePrefix, adminPassword: crypto.randomBytes(12).toString("base64url"),
      say: ctx.say,
    });
    const webPid = findWebPid(port);
    const session = await signIn(stack);
    await api(session, "POST", "/api/vendor-keys", { armored: fs.readFileSync(keyPath("test-vendor", "pub"), "utf8") });
    const idleMiB = webRssMiB(webPid);
    ctx.say(`console up on ${stack.url}, web process ${webPid} at ${round(idleMiB)} MiB; ${runs} runs per file, ours and baseline in turn`);

    const rows: BenchRow[] = [];
    const details: string[] = [];
    for (const [i, file] of files.entries()) {
      const v = VARIANTS[i]!;
      const size = fmtBytes(bytes);
      const ours: UploadOutcome[] = [];
      const load = os.loadavg()[0]!;
      const base: number[] = [];
      const baseCpu: number[] = [];
      try {
        for (let r = 0; r < runs; r++) {
          // Alternate who goes first so neither always meets a warmer machine.
          const order = r % 2 === 0 ? ["ours", "baseline"] : ["baseline", "ours"];
          for (const who of order) {
            await warm(file.path);
            if (who === "ours") {
              const o = await uploadThroughConsole(session, file, webPid);
              // Keep the disk from filling with copies: the stored file is not needed after the verdict.
              for (const f of [o.archive.storedPath, o.archive.signaturePath]) if (f) fs.rmSync(f, { force: true });
              ours.push(o);
            } else {
              const b = await baseline(file, verifyEnv);
              if (ours[0] && ours[0].archive.sha256 !== b.sha256) {
                throw new Error(`the console's sha256 ${ours[0].archive.sha256} differs from sha256sum's ${b.sha256} for ${file.fileName}`);
              }
              base.push(b.seconds);
              baseCpu.push(b.cpuSeconds);
            }
          }
          const o = ours.at(-1)!;
          ctx.say(`${v.variant} run ${r + 1}: ours ${round(o.seconds, 2)} s (verdict ${round(o.tailSeconds, 2)} s after the last byte; peak ${round(o.peakRssMiB)} MiB), baseline ${round(base.at(-1)!, 2)} s`);
        }
      } catch (e) {
        // One file failing (refused, or the console erred) is a missed goal with its reason, not the end of the benchmark.
        const reason = (e as Error).message;
        ctx.say(`${v.variant}: ${reason}`);
        for (const [suffix, unit, what] of [["", "MiB/s", "throughput"], ["-mem", "MiB", "peak RSS of the web process"]] as const) {
          rows.push({ id: `1${v.id}${suffix}`, figure: `intake, ${v.label}, ${size}: ${what}`, ours: 0, baseline: null, unit, better: suffix ? "lower" : "higher", goal: suffix ? `< ${MEMORY_CAP_MIB} MiB` : "≥ baseline", met: false, note: `failed: ${reason.slice(0, 300)}` });
        }
        details.push(`${v.variant}: failed (${reason.slice(0, 300)})`);
        continue;
      }
      // Best of the runs on both sides: load from other work on the machine only ever adds time.
      const oursS = Math.min(...ours.map((o) => o.seconds));
      const baseS = Math.min(...base);
      const mibps = (s: number) => round(file.bytes / MiB / s);
      const peak = Math.max(...ours.map((o) => o.peakRssMiB));
      const cpu = `CPU: ours ${round(Math.min(...ours.map((o) => o.cpuSeconds)), 1)} s in the web process, baseline ${round(Math.min(...baseCpu), 1)} s`;
      rows.push({
        id: `1${v.id}`, figure: `intake, ${v.label}, ${size}: throughput (best of ${runs})`,
        ours: mibps(oursS), baseline: mibps(baseS), unit: "MiB/s", better: "higher", goal: "≥ baseline",
        met: oursS <= baseS,
        note: `ours ${round(oursS, 2)} s, baseline ${round(baseS, 2)} s (sha256sum + gpg --verify); ${cpu}` +
          (oursS <= baseS ? "" : `; load average ${round(os.loadavg()[0]!)} on ${os.cpus().length} CPUs: see the notes on what bounds it`),
      });
      rows.push({
        id: `1${v.id}-mem`, figure: `intake, ${v.label}, ${size}: peak RSS of the web process`,
        ours: round(peak), baseline: null, unit: "MiB", better: "lower", goal: `< ${MEMORY_CAP_MIB} MiB`,
        met: peak < MEMORY_CAP_MIB, note: `idle before the uploads: ${round(idleMiB)} MiB`,
      });
      details.push(`${v.variant}: ours ${ours.map((o) => round(o.seconds, 2)).join(", ")} s (verdict ${ours.map((o) => round(o.tailSeconds, 2)).join(", ")} s after the last byte; web process CPU ${ours.map((o) => round(o.cpuSeconds, 1)).join(", ")} s); baseline ${base.map((b) => round(b, 2)).join(", ")} s (CPU ${baseCpu.map((c) => round(c, 1)).join(", ")} s); peak ${ours.map((o) => round(o.peakRssMiB)).join(", ")} MiB; load average ${round(load)} → ${round(os.loadavg()[0]!)} on ${os.cpus().length} CPUs`);
    }
    return { rows, notes: notes(bytes, files, runs, idleMiB, details) };
  } finally {
    await stack?.stop().catch((e: unknown) => ctx.say(`stopping the console: ${(e as Error).message}`));
    await dropDatabase(ctx.postgresUrl, dbName).catch((e: unknown) => ctx.say(`dropping ${dbName}: ${(e as Error).message}`));
    await removeQueueKeys(ctx.redisUrl, queuePrefix).catch((e: unknown) => ctx.say(`removing the ${queuePrefix} keys: ${(e as Error).message}`));
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

function notes(bytes: number, files: IntakeFile[], runs: number, idleMiB: number, details: string[]): string[] {
  const sizes = files.map((f) => `${f.variant} ${f.bytes.toLocaleString("en")} B`).join(", ");
  return [
    `Method. Three files made once by real gpg 2.2 with the simulated vendor's RSA-3072 key (gpg picks SHA-512, the key's preference) from a ${fmtBytes(bytes)} .tar.gz of random bytes, cached in .data/bench-cache: gpg's default \`--sign\` (ZIP-compressed), \`--sign -z 0\`, and \`--detach-sign\` (${sizes}). Ours: a console started by startStack (next start and a worker, no fleet), signed in as admin over HTTP, the vendor key trusted through POST /api/vendor-keys, then each file PUT to /api/archives/upload exactly as the upload panel does (raw body, Content-Length, a progress ticket polled every 250 ms once the body is sent; the detached signature in the X-Detached-Signature header), from a Node HTTP client on the same machine. Timed from the first body byte written to the end of the 201 response saying verified. Peak memory: VmRSS of the \`next start\` process and its children, summed, sampled every 50 ms through each upload (${round(idleMiB)} MiB idle, signed in, before the first upload). Baseline: \`sha256sum file\` then \`gpg --verify file\` (\`gpg --verify file.sig file\` for the detached one) in a GNUPGHOME that trusts the same public key, timed together. ${runs} runs per file, ours and the baseline in turn (alternating which goes first), each after an untimed read of the file so both start from the page cache (this VM's kernel reclaims cold cache); the figures are the best run of each side (load from elsewhere only adds time), peak memory the highest of the runs. CPU figures: utime + stime of the web process during the upload; the baseline's from its shell's \`times\`.`,
    `Runs: ${details.join("; ")}.`,
    "How the intake works now, and what changed. The upload is checked in one pass as it arrives (lib/archives/receive-archive.ts, verifySignedStream): each chunk of the request body is counted, hashed for the file's sha256, queued for the disk (at most 4 MiB in flight) and read by the OpenPGP verifier (SHA-512 of the signed data with node:crypto; ZIP inflated by node's zlib on the thread pool) before the next one is pulled, so the verdict follows the last byte by a fraction of a second and the file is never read back; openpgp.js only checks the trusted key. Before, the upload was written to disk, then read back and verified: at 2 GiB under a load average of about 9 that took 91 to 110 s for the compressed file (baseline 52 to 107 s) with 34 to 50 s of verification after the last byte, 35 to 116 s for the `-z 0` one (baseline 25 to 68 s), and a detached signature could not be uploaded at all (a .tar.gz was refused as unsigned; the route now takes the signature in the X-Detached-Signature header and the upload panel sends the .sig or .asc chosen with the archive). Memory: the web process idled at 238 MiB and peaked at 266 to 283 MiB during those uploads. Two changes outside the intake brought it down: Prisma's small query compiler (prisma/schema.prisma `compilerBuild = \"small\"`; the fast one costs each process about 50 MiB of resident memory: 221 against 170 MiB after the same 3,150 queries; time per query was no worse, 1.0 to 1.2 ms against 1.1 to 1.4 ms over 6,000 queries in three interleaved runs) and next.config.mjs instead of next.config.ts (a TypeScript config makes `next start` load the SWC compiler to read it, about 25 MiB). The upload itself adds about 20 to 35 MiB whatever the size (up to 4 MiB of writes queued, zlib's 4 MiB output buffer, the young generation of the heap, 64 KiB network chunks waiting for a collection); 32 uploads in a row left the heap after a full collection where it was (47 to 48 MiB).",
    "What bounds the throughput. CPU, measured on this machine per 512 MiB: SHA-256 0.43 s with node:crypto (OpenSSL uses the CPU's SHA extensions) against 3.1 s for coreutils' sha256sum; SHA-512 about 1.1 s for node and gpg alike; inflating gpg's ZIP output about 2 s in node's zlib and in gpg; receiving through Next costs 1 to 2 s more (socket reads into fresh buffers, undici copying each 64 KiB chunk into a new Uint8Array for the web stream Next hands the route, the disk writes). So the web process needs fewer CPU seconds than the baseline for the `-z 0` and detached files (sha256sum dominates the baseline) and about as many for the compressed one (inflating dominates both); the CPU figures of each run are in the rows' notes. The baseline runs its steps one after the other in one thread; ours overlaps them (the sender, the main thread hashing, zlib and the disk writes on the thread pool), which wins when the machine is not busy with other work: at load averages of 1 to 4, 2 GiB compressed took 19 s (the baseline 28 to 32 s), `-z 0` 12 to 16 s (the baseline 19 to 20 s), detached 13 to 15 s (the baseline 25 to 26 s). But every 64 KiB chunk crosses threads and processes (sender, socket, main thread, thread pool), and when other work keeps the two cores busy each hand-over waits for a CPU: at a load average of 8.8 on 2 CPUs the `-z 0` upload took 31 s on 13 s of CPU while the baseline took 20 s on 16 s. The wall-clock ratio then follows the load on the machine, not the work; the sender sharing the machine is part of that (a browser would be elsewhere). Tried and not kept, no difference measurable through the noise: a worker thread for the sha256 (copying each chunk to it cost what it saved), gathering chunks into 1 MiB ones before hashing, writing in 1 MiB writev batches, feeding zlib 1 MiB at a time, MALLOC_ARENA_MAX=2.",
  ];
}

export const bench: Bench = { id: "1", title: "Archive intake", run: runArchiveIntake };

// One orchestration run for benchmarks 3 and 6: a fresh database, a simulated fleet enrolled in
// it, a plan per cluster (online in-place rolling) and per standalone appliance, created and
// backed up, then every plan launched at once through lib/plans (what the web's launch route
// calls) while real worker processes (workers/main.ts) run them over SSH and REST. Measured from
// the first launch to the last plan's end, beside the compiled plans' critical path.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { resetConfig } from "@/lib/config";
import { createDb, type Db } from "@/lib/db/client";
import { ensureDatabase, migrateDatabase } from "@/lib/db/migrate";
import type { Actor } from "@/lib/audit/append-audit-event";
import { addVendorKey } from "@/lib/archives/vendor-keys";
import { receiveArchive } from "@/lib/archives/receive-archive";
import { createSshIdentity } from "@/lib/fleet/ssh-identities";
import { createPlan } from "@/lib/plans/create-plan";
import { launchPlan } from "@/lib/plans/launch-plan";
import { makeSignedArchive, keyPath } from "@/simulator/archives";
import { startChild, waitForLine, type Child } from "../lib/children";
import { withDatabase } from "../lib/services";
import type { BenchContext } from "./types";
import { criticalPathSeconds, simulatedStepSeconds, SIMULATOR_DEFAULT_DURATIONS } from "./critical-path";
import { enrolBenchFleet, fleetShape, inBatches, startBenchFleet, type BenchFleet } from "./sim-fleet";

export const FROM = "2.10.0+12807";
export const TO = "2.11.0+13003";
const ARCHIVE_BYTES = 1024 * 1024;
const END_STATES = ["succeeded", "failed", "paused", "aborted"];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface OrchestrationOptions {
  label: string;
  appliances: number;
  workers: number;
  timeScale: number;
  /** Steps one worker process runs at once (FLEET_WORKER_CONCURRENCY). */
  concurrency: number;
  /** Worker processes print a debug line per claimed step, counted per process (benchmark 6). */
  countClaims?: boolean;
}

export interface OrchestrationResult {
  appliances: number;
  clusters: number;
  standalones: number;
  plans: number;
  succeeded: number;
  failures: string[];
  /** Step rows the plans ran (succeeded or skipped), and those of them on one node. */
  steps: number;
  nodeSteps: number;
  criticalPathSeconds: number;
  makespanSeconds: number;
  /** From the first launch call to the last one returning. */
  launchSeconds: number;
  workerCpuSeconds: number[];
  simulatorCpuSeconds: number;
  /** This process's CPU while it launched the plans (the web's share in production). */
  launchCpuSeconds: number;
  /** pg_stat_database xact_commit + xact_rollback of the run's database, launch to end, without the benchmark's own polls. */
  transactions: number;
  claimsPerWorker: number[];
  setupSeconds: number;
  /** Where the time over the critical path went, per step kind, over every plan. */
  overheads: StepOverhead[];
}

export interface StepOverhead {
  kind: string;
  count: number;
  /** From the moment its dependencies were done (or the plan launched) to its claim: queue and dispatch. */
  meanDispatchMs: number;
  /** Its run time beyond what the simulator makes it last. */
  meanExcessMs: number;
}

interface TimedStep { planId: string; key: string; kind: string; dependsOn: string[]; state: string; startedAt: Date | null; finishedAt: Date | null }

/** Per kind: how long a due step waited to be claimed, and how much longer it ran than simulated. */
export function stepOverheads(steps: readonly TimedStep[], launchedAt: Map<string, number>, simulatedMs: (kind: string) => number): StepOverhead[] {
  const finished = new Map(steps.map((s) => [`${s.planId}|${s.key}`, s.finishedAt?.getTime() ?? null]));
  const acc = new Map<string, { count: number; dispatch: number; excess: number }>();
  for (const s of steps) {
    if (s.state !== "succeeded" || !s.startedAt || !s.finishedAt) continue;
    const deps = s.dependsOn.map((k) => finished.get(`${s.planId}|${k}`) ?? null);
    if (deps.some((d) => d === null)) continue;
    const due = Math.max(launchedAt.get(s.planId) ?? 0, ...(deps as number[]));
    const a = acc.get(s.kind) ?? { count: 0, dispatch: 0, excess: 0 };
    a.count++;
    a.dispatch += s.startedAt.getTime() - due;
    a.excess += s.finishedAt.getTime() - s.startedAt.getTime() - simulatedMs(s.kind);
    acc.set(s.kind, a);
  }
  return [...acc.entries()].map(([kind, a]) => ({ kind, count: a.count, meanDispatchMs: a.dispatch / a.count, meanExcessMs: a.excess / a.count }));
}

/** utime + stime of a process in seconds, from /proc (clock ticks are 100 Hz on Linux). */
export function processCpuSeconds(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // After the command: state is field 3, utime 14 and stime 15 (1-based over the whole line).
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

async function transactionsOf(serverUrl: string, dbName: string): Promise<number> {
  const c = new pg.Client({ connectionString: serverUrl });
  await c.connect();
  try {
    // Backends report their counters at most once a second and when they go idle: let them.
    await sleep(1_500);
    const r = await c.query<{ n: string }>(`SELECT (xact_commit + xact_rollback)::text AS n FROM pg_stat_database WHERE datname = $1`, [dbName]);
    return Number(r.rows[0]?.n ?? 0);
  } finally {
    await c.end();
  }
}

/** The process-wide step queue is made once with the queue prefix of its day: make it again for this run's. */
async function freshStepQueue(): Promise<void> {
  const holder = globalThis as unknown as { fleetStepQueue?: { close(): Promise<void> } };
  await holder.fleetStepQueue?.close().catch(() => {});
  delete holder.fleetStepQueue;
}

interface WorkerChild { child: Child; claims: number }

async function startWorker(root: string, env: NodeJS.ProcessEnv, name: string): Promise<WorkerChild> {
  const w: WorkerChild = { child: null as unknown as Child, claims: 0 };
  // node itself, not the tsx wrapper: /proc/<pid> is then the worker's own CPU time.
  // BENCH_WORKER_CPU_PROF=<dir>: a V8 CPU profile of each worker, to see where a step's CPU goes.
  const prof = process.env.BENCH_WORKER_CPU_PROF ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_WORKER_CPU_PROF}`] : [];
  w.child = startChild(name, process.execPath, [...prof, "--import", "tsx", path.join(root, "workers/main.ts")], env, {
    quiet: true,
    onLine: (line) => { if (line.includes("\"msg\":\"step claimed\"")) w.claims++; },
  });
  await waitForLine(w.child, /^worker ready$/, 90_000);
  return w;
}

export async function runOrchestration(ctx: BenchContext, o: OrchestrationOptions): Promise<OrchestrationResult> {
  const started = Date.now();
  const suffix = crypto.randomBytes(4).toString("hex");
  const dbName = `fleet_bench_${o.label}_${suffix}`;
  const databaseUrl = withDatabase(ctx.postgresUrl, dbName);
  const dataDir = path.join(ctx.workDir, `${o.label}-${suffix}`);
  fs.mkdirSync(dataDir, { recursive: true });
  const env = {
    DATABASE_URL: databaseUrl, REDIS_URL: ctx.redisUrl, FLEET_MASTER_KEY: crypto.randomBytes(32).toString("base64"),
    FLEET_DATA_DIR: dataDir, FLEET_QUEUE_PREFIX: `fleet-bench-${o.label}-${suffix}`,
    // Deadlines are a safety net, not a pace: on a loaded 2-core machine a precheck can take seconds,
    // so they get more headroom than the simulator's clock alone would give (polls shrink with them).
    FLEET_DEADLINE_SCALE: String(Math.max(o.timeScale, 0.25)), LOG_LEVEL: "warn",
  };
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  resetConfig();
  await freshStepQueue();
  let db: Db | null = null;
  let fleet: BenchFleet | null = null;
  const workers: WorkerChild[] = [];
  try {
    await ensureDatabase(databaseUrl);
    await migrateDatabase(databaseUrl);
    db = createDb(databaseUrl);
    const admin = await db.user.create({ data: { email: "bench@fleet.local", name: "Bench", role: "admin" } });
    const actor: Actor = { type: "user", id: admin.id, name: admin.email };
    await addVendorKey(db, actor, fs.readFileSync(keyPath("test-vendor", "pub"), "utf8"));
    fs.mkdirSync(path.join(dataDir, "made"), { recursive: true });
    const made = await makeSignedArchive({ dir: path.join(dataDir, "made"), version: TO, sizeBytes: ARCHIVE_BYTES });
    const archive = await receiveArchive(db, actor, { fileName: made.fileName, body: fs.createReadStream(made.path) });
    if (archive.status !== "verified") throw new Error(`the benchmark's archive was refused: ${archive.refusalReason}`);
    const identity = await createSshIdentity(db, actor, { name: "bench-key" });

    const shape = fleetShape(o.appliances);
    ctx.say(`${o.label}: starting ${o.appliances} simulated appliances (${shape.clusters} 3-node clusters, ${shape.standalones} standalone) at time scale ${o.timeScale}`);
    fleet = await startBenchFleet(dataDir, { appliances: o.appliances, timeScale: o.timeScale, version: FROM, authorizedKey: identity.publicKey, root: ctx.root });
    const { standaloneIds, clusterIds } = await enrolBenchFleet(db, actor, fleet, { sshIdentityId: identity.id, stateDir: path.join(dataDir, "simulator") });

    // Plans: created as the wizard does (path, archive, compiled steps, prechecks over SSH and REST).
    const targets = [
      ...clusterIds.map((clusterId) => ({ clusterId, targetVersion: TO, method: "online-rolling" as const })),
      ...standaloneIds.map((applianceId) => ({ applianceId, targetVersion: TO, method: "standalone" as const })),
    ];
    const planIds: string[] = new Array(targets.length);
    ctx.say(`${o.label}: creating ${targets.length} plans (prechecks observe every node)`);
    await inBatches(targets, 8, async (t, i) => { planIds[i] = (await createPlan(db!, actor, t)).id; });
    // The backup gate: an attested confirmation per plan, as an operator who holds a backup gives
    // it. A real backup and key download per plan would add minutes of setup and nothing to measure:
    // the plans' own backup steps find the confirmation and skip either way.
    const plans = await db.upgradePlan.findMany({ where: { id: { in: planIds } }, select: { id: true, applianceId: true } });
    await db.backupConfirmation.createMany({
      data: plans.map((p) => ({ planId: p.id, applianceId: p.applianceId, kind: "attested", applianceVersion: FROM, attestation: "benchmark: backup held elsewhere", confirmedBy: actor.name })),
    });
    const stepRows = await db.step.findMany({ where: { planId: { in: planIds } }, select: { planId: true, key: true, kind: true, dependsOn: true } });
    const byPlan = new Map<string, typeof stepRows>();
    for (const s of stepRows) byPlan.set(s.planId, [...(byPlan.get(s.planId) ?? []), s]);
    const critical = criticalPathSeconds([...byPlan.values()].map((steps) => steps.map((s) => ({ ...s, skipped: s.kind === "backup" }))), SIMULATOR_DEFAULT_DURATIONS, o.timeScale);

    const workerEnv = {
      ...process.env, ...env,
      FLEET_WORKER_CONCURRENCY: String(o.concurrency),
      ...(o.countClaims ? { LOG_LEVEL: "debug" } : {}),
    };
    for (let i = 0; i < o.workers; i++) workers.push(await startWorker(ctx.root, workerEnv, `worker-${i + 1}`));
    const setupSeconds = (Date.now() - started) / 1000;
    ctx.say(`${o.label}: setup took ${Math.round(setupSeconds)} s; launching ${planIds.length} plans at once with ${o.workers} worker process(es); critical path ${critical.toFixed(1)} s`);

    const xactBefore = await transactionsOf(ctx.postgresUrl, dbName);
    const cpuBefore = workers.map((w) => processCpuSeconds(w.child.process.pid!));
    const simBefore = processCpuSeconds(fleet.pid);
    const launchCpu = process.cpuUsage();
    const t0 = Date.now();
    // As operators' launch requests arrive at the web: a few at a time, never more than its pool of connections.
    await inBatches(planIds, 8, async (id) => { await launchPlan(db!, actor, id); });
    const launchSeconds = (Date.now() - t0) / 1000;
    const launchCpuUsage = process.cpuUsage(launchCpu);

    // Watch for the end over one connection, counting the polls so they can be taken off.
    const watcher = new pg.Client({ connectionString: databaseUrl });
    await watcher.connect();
    let polls = 0;
    const timeoutMs = Math.max(300_000, critical * 1000 * 10);
    try {
      for (;;) {
        polls++;
        const r = await watcher.query<{ open: string }>(`SELECT count(*)::text AS open FROM "UpgradePlan" WHERE id = ANY($1::uuid[]) AND NOT (state = ANY($2::text[]))`, [planIds, END_STATES]);
        if (Number(r.rows[0]!.open) === 0) break;
        if (Date.now() - t0 > timeoutMs) throw new Error(`${r.rows[0]!.open} of ${planIds.length} plans had not ended ${Math.round(timeoutMs / 1000)} s after launch`);
        await sleep(250);
      }
    } finally {
      await watcher.end();
    }
    const workerCpuSeconds = workers.map((w, i) => processCpuSeconds(w.child.process.pid!) - cpuBefore[i]!);
    const simulatorCpuSeconds = processCpuSeconds(fleet.pid) - simBefore;
    // The workers' connections close as they stop, which also flushes their counters.
    await Promise.all(workers.map((w) => w.child.stop()));
    const transactions = (await transactionsOf(ctx.postgresUrl, dbName)) - xactBefore - polls;

    const ended = await db.upgradePlan.findMany({ where: { id: { in: planIds } }, select: { id: true, state: true, stateReason: true, finishedAt: true } });
    const lastStep = await db.step.aggregate({ where: { planId: { in: planIds } }, _max: { finishedAt: true } });
    const lastEnd = Math.max(...ended.map((p) => p.finishedAt?.getTime() ?? 0), lastStep._max.finishedAt?.getTime() ?? 0);
    const ran = await db.step.groupBy({ by: ["state"], where: { planId: { in: planIds } }, _count: true });
    const nodeSteps = await db.step.count({ where: { planId: { in: planIds }, state: { in: ["succeeded", "skipped"] }, applianceId: { not: null } } });
    const failures = ended.filter((p) => p.state !== "succeeded").map((p) => `${p.state}: ${p.stateReason ?? ""}`);
    const timed = await db.step.findMany({ where: { planId: { in: planIds } }, select: { planId: true, key: true, kind: true, dependsOn: true, state: true, startedAt: true, finishedAt: true } });
    const launched = await db.upgradePlan.findMany({ where: { id: { in: planIds } }, select: { id: true, launchedAt: true } });
    // BENCH_DUMP_STEPS=<file>: every step's times, to see where a plan's chain spends its time.
    if (process.env.BENCH_DUMP_STEPS) fs.writeFileSync(process.env.BENCH_DUMP_STEPS, JSON.stringify({ t0, launched, steps: timed }, null, 1));
    const overheads = stepOverheads(timed, new Map(launched.map((p) => [p.id, p.launchedAt?.getTime() ?? t0])), (kind) => simulatedStepSeconds(kind, SIMULATOR_DEFAULT_DURATIONS, o.timeScale) * 1000);
    return {
      appliances: o.appliances, clusters: shape.clusters, standalones: shape.standalones, plans: planIds.length,
      succeeded: ended.length - failures.length, failures,
      steps: ran.filter((r) => r.state === "succeeded" || r.state === "skipped").reduce((n, r) => n + r._count, 0), nodeSteps,
      criticalPathSeconds: critical, makespanSeconds: (lastEnd - t0) / 1000, launchSeconds,
      workerCpuSeconds, simulatorCpuSeconds, launchCpuSeconds: (launchCpuUsage.user + launchCpuUsage.system) / 1e6,
      transactions, claimsPerWorker: workers.map((w) => w.claims), setupSeconds, overheads,
    };
  } finally {
    await Promise.all(workers.map((w) => w.child.stop().catch(() => {})));
    await fleet?.stop().catch(() => {});
    await freshStepQueue();
    await db?.$disconnect().catch(() => {});
    const admin = new pg.Client({ connectionString: ctx.postgresUrl });
    await admin.connect().then(() => admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`)).catch(() => {}).finally(() => admin.end().catch(() => {}));
    fs.rmSync(dataDir, { recursive: true, force: true });
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    resetConfig();
  }
}

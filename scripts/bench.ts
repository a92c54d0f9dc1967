// `npm run bench [-- --archive-size 2GiB --nodes 10 --appliances 1000 --viewers 50 --fleet-size 10000 --only 1,5 --docs DIR]`
// Every benchmark of docs/PERFORMANCE.md in one go, each beside its baseline, then the report.
// Postgres and Redis: DATABASE_URL/REDIS_URL, else the machine's, else embedded ones (as npm start).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ensurePostgres, ensureRedis } from "./lib/services";
import { ensureBuild } from "./lib/build";
import { BENCHES } from "./bench/all";
import { parseBenchFlags } from "./bench/flags";
import { writeReport, type BenchOutcome } from "./bench/report";

const root = path.resolve(import.meta.dirname, "..");
const say = (line: string) => console.log(`[bench] ${line}`);

let flags: ReturnType<typeof parseBenchFlags>;
try {
  flags = parseBenchFlags(process.argv.slice(2), BENCHES.map((b) => b.id));
} catch (e) {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(2);
}
const startedAt = new Date();
const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "fleet-bench-"));
// As root, an embedded Postgres runs as "postgres", which must reach its directory.
fs.chmodSync(workDir, 0o755);
const pg = await ensurePostgres(path.join(workDir, "services"), say);
const redis = await ensureRedis(say);
ensureBuild(root, say);
const chosen = BENCHES.filter((b) => flags.only.length === 0 || flags.only.includes(b.id));
const outcomes: BenchOutcome[] = [];
try {
  for (const b of chosen) {
    say(`${b.id}. ${b.title}`);
    const t0 = performance.now();
    const benchDir = path.join(workDir, `bench-${b.id}`);
    fs.mkdirSync(benchDir, { recursive: true });
    try {
      const result = await b.run({ root, workDir: benchDir, postgresUrl: pg.url, redisUrl: redis.url, flags, say: (l) => say(`  ${l}`) });
      outcomes.push({ id: b.id, title: b.title, rows: result.rows, notes: result.notes, seconds: (performance.now() - t0) / 1000 });
      for (const r of result.rows) say(`  ${r.id} ${r.figure}: ${r.ours} ${r.unit}${r.baseline === null ? "" : ` vs ${r.baseline} ${r.unit}`} (${r.goal}: ${r.met ? "met" : "MISSED"})`);
    } catch (e) {
      const message = e instanceof Error ? (e.stack ?? e.message) : String(e);
      say(`  failed: ${message}`);
      outcomes.push({ id: b.id, title: b.title, rows: [], notes: [], seconds: (performance.now() - t0) / 1000, error: e instanceof Error ? e.message : String(e) });
    }
  }
} finally {
  await redis.stop();
  await pg.stop();
  fs.rmSync(workDir, { recursive: true, force: true });
}
const command = ["npm run bench", ...(process.argv.length > 2 ? ["--", ...process.argv.slice(2)] : [])].join(" ");
const written = writeReport({ command, flags, startedAt, seconds: (Date.now() - startedAt.getTime()) / 1000, outcomes }, flags.docs ?? path.join(root, "docs"));
say(`wrote ${path.relative(root, written.markdown)} and ${path.relative(root, written.json)}`);
process.exit(outcomes.some((o) => o.error) ? 1 : 0);

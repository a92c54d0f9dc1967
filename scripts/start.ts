// `npm start`: the console with a simulated fleet, on a fresh machine, with nothing configured.
// Postgres and Redis come from DATABASE_URL/REDIS_URL, else the machine's defaults, else embedded.
import path from "node:path";
import { ensurePostgres, ensureRedis, withDatabase } from "./lib/services";
import { startStack } from "./lib/stack";
import { ensureBuild } from "./lib/build";
import { makeDemoArchives } from "./lib/demo-archives";

const root = path.resolve(import.meta.dirname, "..");
const args = new Set(process.argv.slice(2));
const say = (line: string) => console.log(`[console] ${line}`);
const dataDir = path.resolve(process.env.FLEET_DATA_DIR ?? path.join(root, ".data/console"));
const port = Number(process.env.PORT ?? 3000);

const pg = await ensurePostgres(dataDir, say);
const redis = await ensureRedis(say);
ensureBuild(root, say, { force: args.has("--rebuild") });
const stack = await startStack({
  root, dataDir, port, say,
  databaseUrl: withDatabase(pg.url, process.env.FLEET_DATABASE ?? "fleet"),
  redisUrl: redis.url,
  fleetConfigPath: args.has("--no-fleet") ? undefined : path.join(root, "simulator/fleets/demo.json"),
});
const archives = await makeDemoArchives(path.join(dataDir, "demo-archives"));
say("");
say(`Fleet Upgrade Console is up: ${stack.url}`);
say(`first admin: ${stack.admin.email} / ${stack.admin.password ?? "(set at first run; see .data/console/first-admin.txt)"}`);
for (const a of stack.appliances) say(`simulated appliance enrolled: ${a.name} on ${a.version}`);
say(`test vendor public key to trust: ${path.join(root, "simulator/keys/test-vendor.pub.asc")}`);
for (const a of archives) say(`signed demo archive to upload: ${a}`);
if (stack.controlUrl) say(`simulator control API (faults, records): ${stack.controlUrl}`);
say("press Ctrl-C to stop");

let stopping = false;
async function shutdown() {
  if (stopping) return;
  stopping = true;
  say("stopping...");
  await stack.stop();
  await redis.stop();
  await pg.stop();
  process.exit(0);
}
process.on("SIGINT", () => void shutdown());
process.on("SIGTERM", () => void shutdown());

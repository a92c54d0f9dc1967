// Starts the whole console: database migrated, first admin, a simulated fleet enrolled, the web
// server and a worker. Used by `npm start` and by the Playwright journeys, so both run the same way.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { ensureDatabase, migrateDatabase } from "@/lib/db/migrate";
import { createDb, type Db } from "@/lib/db/client";
import { resetConfig } from "@/lib/config";
import { createUser } from "@/lib/auth/create-user";
import { createSshIdentity } from "@/lib/fleet/ssh-identities";
import { enrolAppliance, probeForEnrolment } from "@/lib/fleet/enrol-appliance";
import { confirmClusterMembers, discoverCluster } from "@/lib/fleet/enrol-cluster";
import { SYSTEM_ACTOR } from "@/lib/audit/append-audit-event";
import { readOidcConfig } from "@/lib/auth/oidc-config";
import { startChild, waitForLine, type Child } from "./children";
import { freePort } from "./services";

export interface StackOptions {
  root: string;
  dataDir: string;
  databaseUrl: string;
  redisUrl: string;
  port?: number;
  fleetConfigPath?: string;
  timeScale?: number;
  deadlineScale?: number;
  queuePrefix?: string;
  adminEmail?: string;
  adminPassword?: string;
  quiet?: boolean;
  /** Ignore the fleet file's fixed ports (tests run beside a demo). */
  freePorts?: boolean;
  /** More environment for the web server and worker (the e2e journeys' FLEET_OIDC_* settings). */
  extraEnv?: Record<string, string>;
  say: (line: string) => void;
}

export interface Stack {
  url: string;
  admin: { email: string; password: string | null };
  controlUrl: string | null;
  appliances: { name: string; version: string }[];
  env: NodeJS.ProcessEnv;
  stop(): Promise<void>;
}

function readOrCreateSecret(file: string, make: () => string): string {
  if (fs.existsSync(file)) return fs.readFileSync(file, "utf8").trim();
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const value = make();
  fs.writeFileSync(file, `${value}\n`, { mode: 0o600 });
  return value;
}

async function ensureAdmin(db: Db, opts: StackOptions): Promise<{ email: string; password: string | null }> {
  const email = opts.adminEmail ?? "admin@fleet.local";
  const existing = await db.user.findUnique({ where: { email } });
  if (existing) return { email, password: opts.adminPassword ?? readFirstAdminPassword(opts.dataDir) };
  const password = opts.adminPassword ?? crypto.randomBytes(12).toString("base64url");
  await createUser(db, SYSTEM_ACTOR, { email, name: "First admin", password, role: "admin" });
  fs.writeFileSync(path.join(opts.dataDir, "first-admin.txt"), `${email}\n${password}\n`, { mode: 0o600 });
  return { email, password };
}

function readFirstAdminPassword(dataDir: string): string | null {
  const file = path.join(dataDir, "first-admin.txt");
  return fs.existsSync(file) ? (fs.readFileSync(file, "utf8").split("\n")[1] ?? null) : null;
}

async function startFleet(db: Db, opts: StackOptions, env: NodeJS.ProcessEnv): Promise<{ child: Child; controlUrl: string; appliances: { name: string; version: string }[] }> {
  const fleetDir = path.join(opts.dataDir, "fleet");
  fs.mkdirSync(fleetDir, { recursive: true });
  let identity = await db.sshIdentity.findFirst({ where: { name: "simulated-fleet" }, omit: { encryptedPrivateKey: true } });
  identity ??= await createSshIdentity(db, SYSTEM_ACTOR, { name: "simulated-fleet" });
  const authorizedKeysFile = path.join(fleetDir, "authorized_keys");
  fs.writeFileSync(authorizedKeysFile, `${identity.publicKey}\n`);
  const base = JSON.parse(fs.readFileSync(opts.fleetConfigPath!, "utf8")) as Record<string, unknown> & { defaults?: Record<string, unknown>; clusters?: Record<string, unknown>[] };
  const free = <T extends Record<string, unknown>>(items: T[] | undefined) => (items ?? []).map((a) => (opts.freePorts ? { ...a, sshPort: 0, restPort: 0 } : a));
  const appliances = free(base.appliances as Record<string, unknown>[]);
  const clusters = free(base.clusters as Record<string, unknown>[] | undefined);
  const config = { ...base, appliances, clusters, stateDir: path.join(fleetDir, "state"), timeScale: opts.timeScale ?? base.timeScale, defaults: { ...base.defaults, authorizedKeysFile } };
  const configPath = path.join(fleetDir, "fleet.json");
  fs.writeFileSync(configPath, JSON.stringify(config, null, 2));
  const controlPort = await freePort();
  const child = startChild("simulator", path.join(opts.root, "node_modules/.bin/tsx"), [path.join(opts.root, "simulator/cli.ts"), "--config", configPath, "--control-port", String(controlPort)], env, { quiet: true });
  const [line] = await waitForLine(child, /^\{.*\}$/, 60_000);
  const started = JSON.parse(line) as { appliances: { name: string; host: string; sshPort: number; restUrl: string; version: string; clusterName?: string }[] };
  // Cluster members are enrolled from their entry node, as an admin would [F6]; the rest one by one.
  const firstOfCluster = new Set<string>();
  for (const a of started.appliances) {
    if (a.clusterName) {
      if (firstOfCluster.has(a.clusterName)) continue;
      firstOfCluster.add(a.clusterName);
    }
    if (await db.appliance.findUnique({ where: { name: a.name } })) continue;
    // Our own simulator: the launcher accepts its fingerprints on the admin's behalf, audited as the system.
    const seen = await probeForEnrolment({ host: a.host, sshPort: a.sshPort, restUrl: a.restUrl });
    await enrolAppliance(db, SYSTEM_ACTOR, {
      name: a.name, host: a.host, sshPort: a.sshPort, restUrl: a.restUrl, sshIdentityId: identity.id, restUsername: "admin", restPassword: "admin",
      acceptedSshHostKeyFingerprint: seen.sshHostKeyFingerprint, acceptedRestCertFingerprint: seen.restCertFingerprint,
    });
  }
  const entries = new Map<string, string>();
  for (const a of started.appliances) {
    if (!a.clusterName || entries.has(a.clusterName)) continue;
    const entry = await db.appliance.findUniqueOrThrow({ where: { name: a.name } });
    entries.set(a.clusterName, entry.id);
    if (entry.clusterId) continue;
    const found = await discoverCluster(db, entry.id);
    const members = found.members.filter((m) => !m.isEntry && !("error" in m.probe)).map((m) => {
      const probe = m.probe as { sshHostKeyFingerprint: string; restCertFingerprint: string };
      const name = started.appliances.find((x) => x.host === m.host)?.name ?? `${a.clusterName}-${m.host}`;
      return { nodeId: m.nodeId, name, host: m.host, sshPort: m.sshPort, restUrl: m.restUrl, acceptedSshHostKeyFingerprint: probe.sshHostKeyFingerprint, acceptedRestCertFingerprint: probe.restCertFingerprint };
    });
    await confirmClusterMembers(db, SYSTEM_ACTOR, { entryApplianceId: entry.id, clusterName: a.clusterName, members });
  }
  return { child, controlUrl: `http://127.0.0.1:${controlPort}`, appliances: started.appliances.map((a) => ({ name: a.name, version: a.version })) };
}

export async function startStack(opts: StackOptions): Promise<Stack> {
  fs.mkdirSync(opts.dataDir, { recursive: true });
  const masterKey = process.env.FLEET_MASTER_KEY ?? readOrCreateSecret(path.join(opts.dataDir, "master.key"), () => crypto.randomBytes(32).toString("base64"));
  const port = opts.port ?? 3000;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: opts.databaseUrl, REDIS_URL: opts.redisUrl, FLEET_MASTER_KEY: masterKey,
    FLEET_DATA_DIR: opts.dataDir, FLEET_DEADLINE_SCALE: String(opts.deadlineScale ?? 1),
    FLEET_QUEUE_PREFIX: opts.queuePrefix ?? "fleet", NEXT_TELEMETRY_DISABLED: "1", CHECKPOINT_DISABLE: "1",
    // Links in webhook notifications point here (a proxy in front sets its own address).
    FLEET_CONSOLE_URL: process.env.FLEET_CONSOLE_URL ?? `http://127.0.0.1:${port}`,
    ...opts.extraEnv,
  };
  // A misconfigured single sign-on stops the start with the variable's name, not at the first sign-in.
  const sso = readOidcConfig(env);
  if (sso) opts.say(`single sign-on through ${sso.issuer}`);
  Object.assign(process.env, { DATABASE_URL: env.DATABASE_URL, REDIS_URL: env.REDIS_URL, FLEET_MASTER_KEY: masterKey, FLEET_DATA_DIR: opts.dataDir, FLEET_QUEUE_PREFIX: env.FLEET_QUEUE_PREFIX });
  resetConfig();
  await ensureDatabase(opts.databaseUrl);
  const migrated = await migrateDatabase(opts.databaseUrl);
  if (migrated.applied.length) opts.say(`database migrated: ${migrated.applied.join(", ")}`);
  const db = createDb(opts.databaseUrl);
  const children: Child[] = [];
  try {
    const admin = await ensureAdmin(db, opts);
    const fleet = opts.fleetConfigPath ? await startFleet(db, opts, env) : null;
    if (fleet) children.push(fleet.child);
    const tsx = path.join(opts.root, "node_modules/.bin/tsx");
    children.push(startChild("worker", tsx, [path.join(opts.root, "workers/main.ts")], env, { quiet: opts.quiet }));
    const web = startChild("web", path.join(opts.root, "node_modules/.bin/next"), ["start", "-p", String(port), "-H", "127.0.0.1"], env, { quiet: opts.quiet });
    children.push(web);
    await waitForLine(web, /Ready in|ready started|started server/i, 60_000);
    return {
      url: `http://127.0.0.1:${port}`, admin, controlUrl: fleet?.controlUrl ?? null, appliances: fleet?.appliances ?? [], env,
      async stop() {
        await Promise.all(children.map((c) => c.stop()));
        await db.$disconnect();
      },
    };
  } catch (e) {
    await Promise.all(children.map((c) => c.stop()));
    await db.$disconnect();
    throw e;
  }
}

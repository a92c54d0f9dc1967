// A fleet of fake appliances for scale tests and benchmarks: 3-node clusters and standalones with
// mixed versions, sites, statuses, tags, golden versions and past plans. Every seeded row carries
// the tag seed=scale and lives under an `.invalid` host name (RFC 2606: it never resolves), so the
// console never reaches one and `--remove` finds them all.
//   DATABASE_URL=... npx tsx scripts/seed-fleet.ts [--count 10000] [--remove]
import crypto from "node:crypto";
import { parseArgs } from "node:util";
import { pathToFileURL } from "node:url";
import { createDb, type Db } from "@/lib/db/client";
import { appendAuditEvent, type Actor } from "@/lib/audit/append-audit-event";
import type { Prisma } from "@/lib/generated/prisma/client";

export const SEED_TAG = "seed=scale";
const IDENTITY = "seed-scale";
const ACTOR: Actor = { type: "system", id: null, name: "seed-fleet script" };
const VERSIONS = ["2.9.0+11937", "2.10.0+12807", "2.10.0+12807", "2.11.0+13003", "2.11.0+13003", "2.11.0+13003", "2.12.0+13519"];
const SITES = ["paris", "london", "frankfurt", "newyork", "singapore", "tokyo", "sydney", "saopaulo"];
const ENVS = ["production", "production", "staging", "lab"];
const MODELS = ["CipherTrust Manager k570", "CipherTrust Manager k470v", "CipherTrust Manager k170v"];
const GOLDEN = "2.11.0+13003";
const CHUNK = 2000;

/** A small deterministic generator: the same count seeds the same fleet, so benchmarks compare. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface SeedResult { appliances: number; clusters: number; standalones: number; plans: number }

/** Seeds `count` appliances (60 % of them in 3-node clusters), replacing an earlier seeded fleet. */
export async function seedFleet(db: Db, options: { count?: number } = {}): Promise<SeedResult> {
  const count = options.count ?? 10_000;
  if (!Number.isInteger(count) || count < 1 || count > 200_000) throw new Error(`--count is a whole number from 1 to 200000, not ${count}`);
  await removeSeededFleet(db);
  const rnd = random(count);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rnd() * items.length)]!;
  const now = Date.now();
  const clusterCount = Math.floor((count * 0.6) / 3);
  const standaloneCount = count - clusterCount * 3;
  const identityId = crypto.randomUUID();
  const clusters: Prisma.ClusterCreateManyInput[] = [];
  const appliances: Prisma.ApplianceCreateManyInput[] = [];
  const plans: Prisma.UpgradePlanCreateManyInput[] = [];

  const node = (name: string, clusterId: string | null, version: string, tags: string[], clusterNodeId: string | null) => {
    const roll = rnd();
    const status = roll < 0.93 ? "ok" : roll < 0.97 ? "unreachable" : roll < 0.98 ? "trust-changed" : "unknown";
    const host = `${name}.scale.invalid`;
    const id = crypto.randomUUID();
    appliances.push({
      id, name, host, sshPort: 22, restUrl: `https://${host}`, sshIdentityId: identityId, restUsername: "admin",
      restPasswordEncrypted: "none: a seeded appliance is never contacted", sshHostKeyFingerprint: `SHA256:seed-${id}`, restCertFingerprint: `seed-${id}`, restCertPem: "",
      version: status === "unknown" && rnd() < 0.3 ? null : version, model: pick(MODELS), clusterId, clusterNodeId, status,
      statusReason: status === "unreachable" ? "seeded: no route to host" : status === "trust-changed" ? "seeded: the host key changed" : null,
      lastContactAt: status === "unknown" ? null : new Date(now - (status === "ok" ? rnd() * 3_600_000 : 86_400_000 + rnd() * 9 * 86_400_000)),
      tags, goldenVersion: null,
    });
    return id;
  };
  const plan = (applianceId: string, clusterId: string | null, fromVersion: string) => {
    if (rnd() > 0.2) return;
    const roll = rnd();
    const state = roll < 0.7 ? "succeeded" : roll < 0.9 ? "failed" : "aborted";
    const createdAt = new Date(now - (1 + rnd() * 60) * 86_400_000);
    plans.push({
      applianceId, clusterId, method: clusterId ? "online-rolling" : "standalone", fromVersion, targetVersion: GOLDEN, hops: [], state,
      stateReason: state === "failed" ? "seeded: the appliance did not come back" : state === "aborted" ? "seeded: aborted by an operator" : null,
      createdBy: ACTOR.name, createdAt, launchedAt: createdAt, finishedAt: new Date(createdAt.getTime() + 3_600_000),
    });
  };

  for (let i = 1; i <= clusterCount; i++) {
    const name = `seed-c${String(i).padStart(5, "0")}`;
    const id = crypto.randomUUID();
    clusters.push({ id, name, tags: [SEED_TAG, `site=${pick(SITES)}`, `env=${pick(ENVS)}`].sort(), goldenVersion: rnd() < 0.4 ? GOLDEN : null });
    const version = pick(VERSIONS);
    // One cluster in sixteen is caught half-way: a node already on the next release.
    const mixed = rnd() < 1 / 16;
    const ids = [1, 2, 3].map((n) => node(`${name}-n${n}`, id, mixed && n === 1 ? VERSIONS[Math.min(VERSIONS.indexOf(version) + 3, VERSIONS.length - 1)]! : version, [SEED_TAG], `node-${n}`));
    plan(ids[0]!, id, version);
  }
  for (let i = 1; i <= standaloneCount; i++) {
    const version = pick(VERSIONS);
    const id = node(`seed-s${String(i).padStart(5, "0")}`, null, version, [SEED_TAG, `site=${pick(SITES)}`, `env=${pick(ENVS)}`].sort(), null);
    if (rnd() < 0.4) (appliances.at(-1)!).goldenVersion = GOLDEN;
    plan(id, null, version);
  }

  await db.$transaction(async (tx) => {
    await tx.sshIdentity.create({ data: { id: identityId, name: IDENTITY, publicKey: "none: seeded appliances are never contacted", fingerprint: "SHA256:seed-scale", encryptedPrivateKey: "none", createdBy: ACTOR.name } });
    for (let i = 0; i < clusters.length; i += CHUNK) await tx.cluster.createMany({ data: clusters.slice(i, i + CHUNK) });
    for (let i = 0; i < appliances.length; i += CHUNK) await tx.appliance.createMany({ data: appliances.slice(i, i + CHUNK) });
    for (let i = 0; i < plans.length; i += CHUNK) await tx.upgradePlan.createMany({ data: plans.slice(i, i + CHUNK) });
    await appendAuditEvent(tx, { actor: ACTOR, action: "fleet-seeded", data: { tag: SEED_TAG, appliances: appliances.length, clusters: clusters.length, plans: plans.length } });
  }, { timeout: 300_000, maxWait: 30_000 });
  return { appliances: appliances.length, clusters: clusters.length, standalones: standaloneCount, plans: plans.length };
}

/** Removes every row seedFleet made (and their plans); the rest of the fleet is untouched. */
export async function removeSeededFleet(db: Db): Promise<{ appliances: number; clusters: number }> {
  return db.$transaction(async (tx) => {
    const seeded = { tags: { has: SEED_TAG } };
    const ids = (await tx.appliance.findMany({ where: seeded, select: { id: true } })).map((a) => a.id);
    for (let i = 0; i < ids.length; i += CHUNK) await tx.upgradePlan.deleteMany({ where: { applianceId: { in: ids.slice(i, i + CHUNK) } } });
    const appliances = await tx.appliance.deleteMany({ where: seeded });
    const clusters = await tx.cluster.deleteMany({ where: seeded });
    await tx.sshIdentity.deleteMany({ where: { name: IDENTITY, appliances: { none: {} } } });
    if (appliances.count || clusters.count) await appendAuditEvent(tx, { actor: ACTOR, action: "fleet-seed-removed", data: { tag: SEED_TAG, appliances: appliances.count, clusters: clusters.count } });
    return { appliances: appliances.count, clusters: clusters.count };
  }, { timeout: 300_000, maxWait: 30_000 });
}

async function main(): Promise<void> {
  const { values } = parseArgs({ args: process.argv.slice(2), options: { count: { type: "string", default: "10000" }, remove: { type: "boolean", default: false } }, strict: true });
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set: point it at the console's database, e.g. postgresql://postgres@127.0.0.1:5432/fleet");
  const db = createDb(url);
  try {
    if (values.remove) {
      const removed = await removeSeededFleet(db);
      console.log(`removed ${removed.appliances} seeded appliances and ${removed.clusters} clusters`);
    } else {
      if (!/^\d+$/.test(values.count)) throw new Error(`--count is a whole number, not ${values.count}`);
      const seeded = await seedFleet(db, { count: Number(values.count) });
      console.log(`seeded ${seeded.appliances} appliances: ${seeded.clusters} clusters of 3, ${seeded.standalones} standalone, ${seeded.plans} past plans (tag ${SEED_TAG}; remove with --remove)`);
    }
  } finally {
    await db.$disconnect();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((e: unknown) => {
    console.error(`seed-fleet: ${(e as Error).message}`);
    process.exit(1);
  });
}

// The fleet at a glance (GET /api/fleet): every cluster and standalone appliance with its versions,
// node states, last contact, the plan touching it, its golden version and compliance; counts on
// top; search, filters, sort and server-side paging. A few lean queries whatever the fleet's size:
// one statement for counts, total and the page's keys (lib/fleet/fleet-sql.ts), one for the
// filters' choices beside it, then the page's nodes and plans.
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { Prisma } from "@/lib/generated/prisma/client";
import { classifyCompliance, emptyComplianceCounts, type Compliance, type GoldenVersion } from "@/lib/domain/compliance";
import { compareVersions, parseVersion } from "@/lib/domain/version";
import { FleetQuerySchema, type FleetQuery, type FleetQueryInput } from "@/lib/fleet/fleet-query";
import { fleetPageStatement, type FleetPageResult } from "@/lib/fleet/fleet-sql";

/** Plans not yet at an end: a failed plan holding its lock is open too (it can be resumed). */
const OPEN_PLAN_STATES = ["draft", "prechecked", "ready", "running", "paused"];

export interface FleetNode { id: string; name: string; host: string; version: string | null; model: string | null; status: string; statusReason: string | null; lastContactAt: Date | null; tags: string[] }
export interface FleetPlan { id: string; state: string; method: string; fromVersion: string; targetVersion: string; createdAt: Date; finishedAt: Date | null; open: boolean }

export interface FleetRow {
  kind: "cluster" | "appliance";
  /** The cluster's id, or the standalone appliance's. */
  id: string;
  name: string;
  /** Where the row's name links: the standalone appliance, or the cluster's entry node (a ready one first). */
  entryApplianceId: string;
  nodes: FleetNode[];
  /** The distinct versions its nodes run, oldest first. */
  versions: string[];
  /** For a cluster, the stalest of its nodes' last contacts; null when one never answered. */
  lastContactAt: Date | null;
  tags: string[];
  golden: GoldenVersion | null;
  compliance: Compliance;
  complianceReason: string;
  /** The open plan, else the latest one. */
  plan: FleetPlan | null;
}

export interface FleetPage {
  rows: FleetRow[];
  total: number;
  page: number;
  pageSize: number;
  pageCount: number;
  /** Rows by compliance under every filter but compliance: the tiles on top. */
  counts: Record<Compliance, number>;
  /** What the filters can offer: versions run anywhere in the fleet and tags in use. */
  facets: { versions: string[]; tags: string[]; appliances: number };
  query: FleetQuery;
}

export function parseFleetQuery(input: FleetQueryInput | Record<string, string>): FleetQuery {
  const parsed = FleetQuerySchema.safeParse(input);
  if (!parsed.success) throw new AppError("bad-input", parsed.error.issues.map((i) => i.message).join("; "));
  return parsed.data;
}

/** Timestamps inside json_agg lose their zone; Prisma stores UTC. */
const utc = (text: string | null): Date | null => (text === null ? null : new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(text) ? text : `${text}Z`));

export async function readFleetPage(db: Db, input: FleetQueryInput | Record<string, string>): Promise<FleetPage> {
  const query = parseFleetQuery(input);
  const [[result], facets] = await Promise.all([readPage(db, query), readFacets(db)]);
  const { counts, total, rows } = result!;
  const clusterIds = rows.filter((r) => r.kind === "cluster").map((r) => r.id);
  const applianceIds = rows.filter((r) => r.kind === "appliance").map((r) => r.id);
  const [nodes, plans] = await Promise.all([readNodes(db, clusterIds, applianceIds), readTouchingPlans(db, clusterIds, applianceIds)]);
  return {
    rows: rows.map((r) => {
      const own = nodes.filter((n) => (r.kind === "cluster" ? n.clusterId === r.id : n.id === r.id)).map(({ clusterId: _c, ...n }) => n);
      const golden: GoldenVersion | null = r.golden === null ? null : r.golden_tag === null ? { version: r.golden, source: "own", tag: null } : { version: r.golden, source: "rule", tag: r.golden_tag };
      const entry = own.find((n) => n.status === "ok") ?? own[0];
      return {
        kind: r.kind, id: r.id, name: r.name, entryApplianceId: entry?.id ?? r.id, nodes: own, versions: distinctVersions(own),
        lastContactAt: utc(r.last_contact), tags: [...new Set(r.tags)].sort(), golden,
        compliance: r.compliance as Compliance, complianceReason: classifyCompliance(own, golden?.version ?? null).reason,
        plan: plans.get(r.id) ?? null,
      };
    }),
    total, page: query.page, pageSize: query.pageSize, pageCount: Math.max(1, Math.ceil(total / query.pageSize)),
    counts: { ...emptyComplianceCounts(), ...counts }, facets, query,
  };
}

/**
 * The page's statement with JIT compilation off: Postgres would otherwise compile it whenever its
 * cost estimate crosses jit_above_cost, spending far longer than the query itself.
 */
async function readPage(db: Db, query: FleetQuery): Promise<FleetPageResult[]> {
  const [, rows] = await db.$transaction([db.$executeRaw`SET LOCAL jit = off`, db.$queryRaw<FleetPageResult[]>(fleetPageStatement(query))]);
  return rows;
}

function distinctVersions(nodes: readonly { version: string | null }[]): string[] {
  const known = [...new Set(nodes.map((n) => n.version).filter((v): v is string => v !== null))];
  return known.sort((a, b) => {
    const [va, vb] = [parseVersion(a), parseVersion(b)];
    return va && vb ? compareVersions(va, vb) || (a < b ? -1 : 1) : va ? -1 : vb ? 1 : a < b ? -1 : 1;
  });
}

function readNodes(db: Db, clusterIds: string[], applianceIds: string[]) {
  if (clusterIds.length + applianceIds.length === 0) return Promise.resolve([]);
  return db.appliance.findMany({
    where: { OR: [{ clusterId: { in: clusterIds } }, { id: { in: applianceIds } }] },
    select: { id: true, name: true, host: true, clusterId: true, version: true, model: true, status: true, statusReason: true, lastContactAt: true, tags: true },
    orderBy: { name: "asc" },
  });
}

/** Per row: its open plan, else its latest. A cluster's plans name its entry node, so the appliance index serves both. */
async function readTouchingPlans(db: Db, clusterIds: string[], applianceIds: string[]): Promise<Map<string, FleetPlan>> {
  if (clusterIds.length + applianceIds.length === 0) return new Map();
  const rows = await db.$queryRaw<(FleetPlan & { target: string })[]>`
    SELECT DISTINCT ON (target) target, p.id, p.state, p.method, p."fromVersion", p."targetVersion", p."createdAt", p."finishedAt",
      (p.state IN (${Prisma.join(OPEN_PLAN_STATES)}) OR l."planId" IS NOT NULL) AS open
    FROM "UpgradePlan" p
    CROSS JOIN LATERAL (SELECT coalesce(p."clusterId", p."applianceId") AS target) t
    LEFT JOIN "ApplianceLock" l ON l."applianceId" = p."applianceId" AND l."planId" = p.id
    WHERE p."applianceId" IN (SELECT id FROM "Appliance" WHERE "clusterId" = ANY(${clusterIds}::uuid[]) OR id = ANY(${applianceIds}::uuid[]))
    ORDER BY target, open DESC, p."createdAt" DESC`;
  return new Map(rows.map(({ target, ...plan }) => [target, plan]));
}

async function readFacets(db: Db): Promise<FleetPage["facets"]> {
  // The versions by skipping through their index, as the page's statement does.
  const [row] = await db.$queryRaw<{ versions: string[]; tags: string[]; appliances: number }[]>`
    WITH RECURSIVE versions AS (
      (SELECT version FROM "Appliance" WHERE version IS NOT NULL ORDER BY version LIMIT 1)
      UNION ALL
      SELECT (SELECT x.version FROM "Appliance" x WHERE x.version > v.version ORDER BY x.version LIMIT 1) FROM versions v WHERE v.version IS NOT NULL
    )
    SELECT
      (SELECT coalesce(array_agg(DISTINCT btrim(version)), '{}') FROM versions WHERE version IS NOT NULL) AS versions,
      (SELECT coalesce(array_agg(DISTINCT t), '{}') FROM (SELECT unnest(tags) AS t FROM "Appliance" UNION SELECT unnest(tags) FROM "Cluster") x) AS tags,
      (SELECT count(*)::int FROM "Appliance") AS appliances`;
  return { versions: distinctVersions(row!.versions.map((version) => ({ version }))), tags: [...row!.tags].sort(), appliances: row!.appliances };
}

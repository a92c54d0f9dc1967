// The fleet view's one SQL statement: every cluster and standalone appliance as a row of
// "FleetTarget", which database triggers keep judged against its golden version (the rules of
// lib/domain/compliance.ts, written in SQL in the migration fleet_target) whenever an appliance, a
// cluster or a golden-version rule changes. A request only filters, counts, sorts and pages those
// rows, whatever the fleet's size, and reads the filters' choices in the same round trip.
import { Prisma } from "@/lib/generated/prisma/client";
import { COMPLIANCE_STATES } from "@/lib/domain/compliance";
import { parseReleaseLine } from "@/lib/domain/release-line";
import { parseVersion } from "@/lib/domain/version";
import type { FleetQuery } from "@/lib/fleet/fleet-query";

const sql = Prisma.sql;

function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** lib/domain/campaign-selection.ts's versionMatches: a line, a release, or one build (a node without a build matches it). */
function versionHit(wanted: string): Prisma.Sql {
  const line = parseReleaseLine(wanted);
  if (line) return sql`(a.vkey[1] = ${line.major} AND a.vkey[2] = ${line.minor})`;
  const v = parseVersion(wanted)!;
  const release = sql`a.vkey = ARRAY[${v.major}, ${v.minor}, ${v.patch}]::int[]`;
  return v.build ? sql`(${release} AND split_part(a.btrimmed, '+', 2) IN ('', ${v.build}))` : release;
}

const ORDER: Record<FleetQuery["sort"], Prisma.Sql> = {
  name: sql`name, id`,
  "-name": sql`name DESC, id`,
  version: sql`min_key NULLS FIRST, name, id`,
  "-version": sql`min_key DESC NULLS LAST, name, id`,
  // Stalest first: what has not answered for longest is what a person looks for.
  "last-contact": sql`last_contact NULLS FIRST, name, id`,
  "-last-contact": sql`last_contact DESC NULLS LAST, name, id`,
  compliance: sql`array_position(ARRAY[${Prisma.join([...COMPLIANCE_STATES])}]::text[], compliance), name, id`,
};

const SEARCH_JOIN = "\u0001";

/**
 * Any of the row's names and hosts contains the text, any case: one LIKE on the row's stored
 * lower-cased names and hosts (ILIKE lower-cases both sides the same way), unless the text holds
 * the character that joins them and could then match across two names.
 */
function searchHit(text: string): Prisma.Sql {
  if (text.includes(SEARCH_JOIN)) return sql`EXISTS (SELECT 1 FROM unnest(t.search) s WHERE s ILIKE ${likePattern(text)})`;
  return sql`t."searchText" LIKE lower(${likePattern(text)})`;
}

/** The rows under every filter but compliance. A row matches a node's name, host, version or status when any of its nodes does. */
function filteredTargets(query: FleetQuery): Prisma.Sql {
  const filters: Prisma.Sql[] = [];
  if (query.q) filters.push(searchHit(query.q));
  if (query.version) filters.push(sql`t.versions && (SELECT versions FROM wanted_versions)`);
  if (query.status) filters.push(sql`${query.status} = ANY(t.statuses)`);
  if (query.kind) filters.push(sql`t.kind = ${query.kind}`);
  if (query.tag) filters.push(sql`${query.tag} = ANY(t.tags)`);
  return sql`
    -- A fleet runs a handful of versions, found by skipping through the version index rather than
    -- reading every appliance: the filters' choices, and those a version filter asks for.
    versions AS (
      (SELECT version FROM "Appliance" WHERE version IS NOT NULL ORDER BY version LIMIT 1)
      UNION ALL
      SELECT (SELECT x.version FROM "Appliance" x WHERE x.version > v.version ORDER BY x.version LIMIT 1) FROM versions v WHERE v.version IS NOT NULL
    ),
    wanted_versions AS (
      SELECT coalesce(array_agg(a.version), '{}') AS versions
      FROM (SELECT d.version, btrim(d.version) AS btrimmed, fleet_version_key(d.version) AS vkey FROM versions d WHERE d.version IS NOT NULL) a
      ${query.version ? sql`WHERE ${versionHit(query.version)}` : sql`WHERE FALSE`}
    ),
    -- Every distinct tag set, by skipping through the index of their keys: what the tag filter can offer.
    tag_sets AS (
      (SELECT "facetKey" AS key, "facetTags" AS tags FROM "FleetTarget" ORDER BY "facetKey" LIMIT 1)
      UNION ALL
      SELECT n.key, n.tags FROM tag_sets s CROSS JOIN LATERAL (
        SELECT x."facetKey" AS key, x."facetTags" AS tags FROM "FleetTarget" x WHERE x."facetKey" > s.key ORDER BY x."facetKey" LIMIT 1
      ) n
    ),
    classified AS NOT MATERIALIZED (
      SELECT t.kind, t.id, t.name, t.tags, t.golden, t."goldenTag" AS golden_tag, t.compliance, t."minKey" AS min_key, t."lastContact" AS last_contact
      FROM "FleetTarget" t
      ${filters.length ? sql`WHERE ${Prisma.join(filters, " AND ")}` : Prisma.empty}
    ),
    counts AS (SELECT compliance, count(*)::int AS n FROM classified GROUP BY 1)`;
}

export interface FleetPageRow {
  kind: "cluster" | "appliance";
  id: string;
  name: string;
  tags: string[];
  golden: string | null;
  golden_tag: string | null;
  compliance: string;
  last_contact: string | null;
  /** Its nodes by name (timestamps without their zone: json_agg drops it). */
  nodes: FleetPageNode[];
  /** Its open plan, else its latest. */
  plan: FleetPagePlan | null;
}

export interface FleetPageNode { id: string; name: string; host: string; version: string | null; model: string | null; status: string; statusReason: string | null; lastContactAt: string | null; tags: string[] }
export interface FleetPagePlan { id: string; state: string; method: string; fromVersion: string; targetVersion: string; createdAt: string; finishedAt: string | null; open: boolean }

/** Plans not yet at an end: a failed plan holding its lock is open too (it can be resumed). */
const OPEN_PLAN_STATES = ["draft", "prechecked", "ready", "running", "paused"];

/** A page row's nodes, by key: a cluster's through the clusterId index, a standalone by its id. */
function pageNodes(): Prisma.Sql {
  const node = sql`json_build_object('id', a.id, 'name', a.name, 'host', a.host, 'version', a.version, 'model', a.model, 'status', a.status,
    'statusReason', a."statusReason", 'lastContactAt', a."lastContactAt", 'tags', a.tags) ORDER BY a.name`;
  return sql`CASE WHEN p.kind = 'cluster'
    THEN (SELECT json_agg(${node}) FROM "Appliance" a WHERE a."clusterId" = p.id)
    ELSE (SELECT json_agg(${node}) FROM "Appliance" a WHERE a.id = p.id) END`;
}

/** A page row's open plan, else its latest. A cluster's plans name its entry node, so the appliance index serves both. */
function pagePlan(): Prisma.Sql {
  const latest = (where: Prisma.Sql) => sql`(SELECT json_build_object('id', x.id, 'state', x.state, 'method', x.method, 'fromVersion', x."fromVersion",
      'targetVersion', x."targetVersion", 'createdAt', x."createdAt", 'finishedAt', x."finishedAt", 'open', x.open)
    FROM (
      SELECT pl.*, (pl.state IN (${Prisma.join(OPEN_PLAN_STATES)}) OR l."planId" IS NOT NULL) AS open
      FROM "UpgradePlan" pl LEFT JOIN "ApplianceLock" l ON l."applianceId" = pl."applianceId" AND l."planId" = pl.id
      WHERE ${where}
    ) x ORDER BY x.open DESC, x."createdAt" DESC LIMIT 1)`;
  return sql`CASE WHEN p.kind = 'cluster'
    THEN ${latest(sql`pl."applianceId" IN (SELECT a.id FROM "Appliance" a WHERE a."clusterId" = p.id) AND pl."clusterId" = p.id`)}
    ELSE ${latest(sql`pl."applianceId" = p.id AND pl."clusterId" IS NULL`)} END`;
}

export interface FleetPageResult {
  counts: Record<string, number>;
  total: number;
  rows: FleetPageRow[];
  /** The filters' choices: versions run anywhere in the fleet, tags in use, how many appliances. */
  facet_versions: string[];
  facet_tags: string[];
  appliances: number;
}

/** Counts by compliance (every filter but compliance), the total, one page of rows with their nodes and plans, and the filters' choices: one round trip. */
export function fleetPageStatement(query: FleetQuery): Prisma.Sql {
  const chosen = query.compliance ? sql`WHERE compliance = ${query.compliance}` : Prisma.empty;
  return sql`
    WITH RECURSIVE ${filteredTargets(query)}
    SELECT
      (SELECT coalesce(json_object_agg(compliance, n), '{}') FROM counts) AS counts,
      (SELECT coalesce(sum(n), 0)::int FROM counts ${chosen}) AS total,
      -- The page's nodes and plans are read for its rows alone, once they are chosen.
      (SELECT coalesce(json_agg(r), '[]') FROM (
        SELECT p.*, ${pageNodes()} AS nodes, ${pagePlan()} AS plan
        FROM (
          SELECT kind, id, name, tags, golden, golden_tag, compliance, last_contact FROM classified ${chosen}
          ORDER BY ${ORDER[query.sort]} LIMIT ${query.pageSize} OFFSET ${(query.page - 1) * query.pageSize}
        ) p
      ) r) AS rows,
      (SELECT coalesce(array_agg(DISTINCT btrim(version)), '{}') FROM versions WHERE version IS NOT NULL) AS facet_versions,
      (SELECT coalesce(array_agg(DISTINCT x.tag), '{}') FROM (SELECT unnest(tags) AS tag FROM tag_sets UNION ALL SELECT unnest(tags) FROM (SELECT DISTINCT tags FROM "Cluster") c) x) AS facet_tags,
      (SELECT count(*)::int FROM "Appliance") AS appliances`;
}

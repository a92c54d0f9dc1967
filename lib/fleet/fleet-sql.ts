// The fleet view's one SQL statement: every cluster and standalone appliance as a row, judged
// against its golden version (the rules of lib/domain/compliance.ts, written again in SQL so that
// 10,000 appliances are counted, filtered, sorted and paged without leaving Postgres).
import { Prisma } from "@/lib/generated/prisma/client";
import { COMPLIANCE_STATES, UNREACHABLE_STATUSES } from "@/lib/domain/compliance";
import { parseReleaseLine } from "@/lib/domain/release-line";
import { parseVersion } from "@/lib/domain/version";
import type { FleetQuery } from "@/lib/fleet/fleet-query";

const sql = Prisma.sql;

/** lib/domain/version.ts's pattern, for Postgres: what does not match has no version key. */
const VERSION_PATTERN = String.raw`^v?\d{1,4}\.\d{1,4}\.\d{1,4}(\+[0-9A-Za-z.-]{1,32})?$`;

/** major.minor.patch as int[] (arrays compare element by element, as compareVersions does); NULL when it does not parse. */
function versionKey(column: Prisma.Sql): Prisma.Sql {
  return sql`CASE WHEN btrim(${column}) ~ ${VERSION_PATTERN} THEN string_to_array(split_part(ltrim(btrim(${column}), 'v'), '+', 1), '.')::int[] END`;
}

function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** lib/domain/campaign-selection.ts's versionMatches: a line, a release, or one build (a node without a build matches it). */
function versionHit(wanted: string | undefined): Prisma.Sql {
  if (!wanted) return sql`TRUE`;
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

/** Rows of the targets with every filter but compliance applied, each with its verdict. */
function classifiedTargets(query: FleetQuery): Prisma.Sql {
  const cut = sql`ARRAY[${Prisma.join([...UNREACHABLE_STATUSES])}]::text[]`;
  const q = query.q ? likePattern(query.q) : null;
  const filters: Prisma.Sql[] = [];
  if (q) filters.push(sql`t.q_hit`);
  if (query.version) filters.push(sql`t.version_hit`);
  if (query.status) filters.push(sql`t.status_hit`);
  if (query.kind) filters.push(sql`t.kind = ${query.kind}`);
  if (query.tag) filters.push(sql`${query.tag} = ANY(t.tags)`);
  return sql`
    -- A fleet runs a handful of versions: each is parsed once, not once per appliance, and found
    -- by skipping through the version index rather than reading every row.
    versions AS (
      (SELECT version FROM "Appliance" WHERE version IS NOT NULL ORDER BY version LIMIT 1)
      UNION ALL
      SELECT (SELECT x.version FROM "Appliance" x WHERE x.version > v.version ORDER BY x.version LIMIT 1) FROM versions v WHERE v.version IS NOT NULL
    ),
    version_key AS (
      SELECT a.version, a.vkey, ${versionHit(query.version)} AS version_hit
      FROM (SELECT d.version, btrim(d.version) AS btrimmed, ${versionKey(sql`d.version`)} AS vkey FROM versions d WHERE d.version IS NOT NULL) a
    ),
    -- Inlined into each use (clusters, their shared tags, standalones): each reads only the columns it needs.
    node AS NOT MATERIALIZED (
      SELECT a.id, a."clusterId", k.vkey, a.tags, a.name, a."lastContactAt", a."goldenVersion",
        k.vkey IS NULL OR a.status = ANY(${cut}) AS cut,
        ${q ? sql`(a.name ILIKE ${q} OR a.host ILIKE ${q})` : sql`TRUE`} AS q_hit,
        coalesce(k.version_hit, FALSE) AS version_hit,
        ${query.status ? sql`a.status = ${query.status}` : sql`TRUE`} AS status_hit
      FROM "Appliance" a LEFT JOIN version_key k ON k.version = a.version
    ),
    per_cluster AS (
      SELECT n."clusterId" AS id, count(*) AS k, min(n.vkey) AS min_key, max(n.vkey) AS max_key, bool_or(n.cut) AS cut,
        CASE WHEN bool_or(n."lastContactAt" IS NULL) THEN NULL ELSE min(n."lastContactAt") END AS last_contact,
        bool_or(n.q_hit) AS q_hit, bool_or(n.version_hit) AS version_hit, bool_or(n.status_hit) AS status_hit,
        -- Arrays are ordered, so the lowest equal to the highest means every node has the same tags.
        min(n.tags) AS tags_lo, max(n.tags) AS tags_hi
      FROM node n WHERE n."clusterId" IS NOT NULL GROUP BY 1
    ),
    -- A cluster carries its own tags and those every one of its nodes has (clusterTargetTags). When
    -- its nodes' tags differ, the shared ones are counted out, for those clusters only.
    shared_tags AS (
      SELECT s."clusterId", array_agg(s.tag) AS tags
      FROM (
        SELECT n."clusterId", t.tag, count(*) AS k
        FROM node n JOIN per_cluster pc ON pc.id = n."clusterId" AND pc.tags_lo <> pc.tags_hi CROSS JOIN LATERAL unnest(n.tags) AS t(tag)
        GROUP BY 1, 2
      ) s
      JOIN per_cluster pc ON pc.id = s."clusterId" AND pc.k = s.k
      GROUP BY 1
    ),
    target AS (
      SELECT 'cluster' AS kind, c.id, c.name,
        -- Repeats are harmless to ANY() and &&; the page's rows are deduplicated in TypeScript.
        c.tags || CASE WHEN pc.tags_lo = pc.tags_hi THEN pc.tags_lo ELSE coalesce(st.tags, '{}') END AS tags,
        btrim(c."goldenVersion") AS own_golden, ${versionKey(sql`c."goldenVersion"`)} AS own_key,
        pc.min_key, pc.min_key <> pc.max_key AS split, pc.cut, pc.last_contact,
        ${q ? sql`c.name ILIKE ${q} OR pc.q_hit` : sql`TRUE`} AS q_hit, pc.version_hit, pc.status_hit
      FROM per_cluster pc JOIN "Cluster" c ON c.id = pc.id LEFT JOIN shared_tags st ON st."clusterId" = pc.id
      UNION ALL
      SELECT 'appliance', n.id, n.name, n.tags, btrim(n."goldenVersion"), ${versionKey(sql`n."goldenVersion"`)},
        n.vkey, FALSE, n.cut, n."lastContactAt", n.q_hit, n.version_hit, n.status_hit
      FROM node n WHERE n."clusterId" IS NULL
    ),
    rule AS (SELECT * FROM (SELECT tag, btrim(version) AS version, ${versionKey(sql`version`)} AS vkey FROM "GoldenVersionRule") r WHERE vkey IS NOT NULL),
    ruled_tags AS (SELECT coalesce(array_agg(tag), '{}') AS tags FROM rule),
    classified AS (
      SELECT t.kind, t.id, t.name, t.tags, t.min_key, t.last_contact,
        CASE WHEN t.own_key IS NOT NULL THEN t.own_golden ELSE b.version END AS golden,
        CASE WHEN t.own_key IS NOT NULL THEN NULL ELSE b.tag END AS golden_tag,
        CASE
          WHEN t.cut THEN 'unreachable'
          WHEN t.split THEN 'mixed'
          WHEN coalesce(t.own_key, b.vkey) IS NULL THEN 'no-golden'
          WHEN t.min_key < coalesce(t.own_key, b.vkey) THEN 'behind'
          WHEN t.min_key > coalesce(t.own_key, b.vkey) THEN 'ahead'
          ELSE 'up-to-date' END AS compliance
      FROM (
        -- The highest rule among the target's tags, looked for only when it carries a ruled tag: a
        -- subquery in a CASE runs for those rows alone, where a lateral join was set up for every row.
        SELECT t.*, CASE WHEN t.own_key IS NULL AND t.tags && rt.tags THEN (
          SELECT r.tag FROM rule r WHERE r.tag = ANY(t.tags)
          ORDER BY r.vkey DESC, r.version COLLATE "C" DESC, r.tag COLLATE "C" LIMIT 1
        ) END AS rule_tag
        FROM target t CROSS JOIN ruled_tags rt
      ) t
      LEFT JOIN rule b ON b.tag = t.rule_tag
      ${filters.length ? sql`WHERE ${Prisma.join(filters, " AND ")}` : Prisma.empty}
    )`;
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
}

export interface FleetPageResult {
  counts: Record<string, number>;
  total: number;
  rows: FleetPageRow[];
}

/** Counts by compliance (every filter but compliance), the total and one page of rows: one round trip. */
export function fleetPageStatement(query: FleetQuery): Prisma.Sql {
  const chosen = query.compliance ? sql`WHERE compliance = ${query.compliance}` : Prisma.empty;
  return sql`
    WITH RECURSIVE ${classifiedTargets(query)}
    SELECT
      (SELECT coalesce(json_object_agg(compliance, n), '{}') FROM (SELECT compliance, count(*)::int AS n FROM classified GROUP BY 1) x) AS counts,
      (SELECT count(*)::int FROM classified ${chosen}) AS total,
      (SELECT coalesce(json_agg(p), '[]') FROM (
        SELECT kind, id, name, tags, golden, golden_tag, compliance, last_contact FROM classified ${chosen}
        ORDER BY ${ORDER[query.sort]} LIMIT ${query.pageSize} OFFSET ${(query.page - 1) * query.pageSize}
      ) p) AS rows`;
}

-- CreateTable
CREATE TABLE "FleetTarget" (
    "id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "tags" TEXT[],
    "facetTags" TEXT[],
    "facetKey" TEXT NOT NULL,
    "search" TEXT[],
    "searchText" TEXT NOT NULL,
    "versions" TEXT[],
    "statuses" TEXT[],
    "minKey" INTEGER[],
    "lastContact" TIMESTAMP(3),
    "golden" TEXT,
    "goldenTag" TEXT,
    "compliance" TEXT NOT NULL,

    CONSTRAINT "FleetTarget_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "FleetTarget_facetKey_idx" ON "FleetTarget"("facetKey");

-- The fleet view's rows, kept true by the database itself: every write to Appliance, Cluster or
-- GoldenVersionRule, by any writer (enrolment, observations, plan steps, golden versions, seeding),
-- recomputes the rows it touches in the same transaction. The verdict follows
-- lib/domain/compliance.ts (lib/fleet/fleet-view.int.test.ts checks them row by row).

-- lib/domain/version.ts's pattern: major.minor.patch as int[] (arrays compare element by element,
-- as compareVersions does); NULL when the text does not parse.
CREATE FUNCTION fleet_version_key(v text) RETURNS int[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN btrim(v) ~ '^v?\d{1,4}\.\d{1,4}\.\d{1,4}(\+[0-9A-Za-z.-]{1,32})?$'
    THEN string_to_array(split_part(ltrim(btrim(v), 'v'), '+', 1), '.')::int[] END
$$;

-- The rows of the given targets (cluster ids and standalone appliance ids), as they are now.
CREATE FUNCTION fleet_classify(targets uuid[]) RETURNS TABLE (
  id uuid, kind text, name text, tags text[], "facetTags" text[], "facetKey" text, search text[], "searchText" text, versions text[], statuses text[],
  "minKey" int[], "lastContact" timestamp(3), golden text, "goldenTag" text, compliance text
) LANGUAGE sql STABLE AS $$
  WITH node AS (
    SELECT a.id, a."clusterId", a.name, a.host, a.version, a.status, a.tags, a."lastContactAt", a."goldenVersion",
      fleet_version_key(a.version) AS vkey,
      -- lib/domain/compliance.ts's UNREACHABLE_STATUSES, or a version that does not parse.
      fleet_version_key(a.version) IS NULL OR a.status IN ('unreachable', 'trust-changed') AS cut
    FROM "Appliance" a
    WHERE a."clusterId" = ANY(targets) OR (a.id = ANY(targets) AND a."clusterId" IS NULL)
  ),
  per_cluster AS (
    SELECT n."clusterId" AS id, count(*) AS k, min(n.vkey) AS min_key, max(n.vkey) AS max_key, bool_or(n.cut) AS cut,
      CASE WHEN bool_or(n."lastContactAt" IS NULL) THEN NULL ELSE min(n."lastContactAt") END AS last_contact,
      array_agg(n.name) || array_agg(n.host) AS search,
      coalesce(array_agg(DISTINCT n.version) FILTER (WHERE n.version IS NOT NULL), '{}') AS versions,
      array_agg(DISTINCT n.status) AS statuses,
      -- Arrays are ordered, so the lowest equal to the highest means every node has the same tags.
      min(n.tags) AS tags_lo, max(n.tags) AS tags_hi
    FROM node n WHERE n."clusterId" IS NOT NULL GROUP BY 1
  ),
  node_tag AS (
    SELECT n."clusterId", t.tag, count(*) AS k FROM node n CROSS JOIN LATERAL unnest(n.tags) AS t(tag)
    WHERE n."clusterId" IS NOT NULL GROUP BY 1, 2
  ),
  -- A cluster carries its own tags and those every one of its nodes has (clusterTargetTags).
  shared_tags AS (
    SELECT s."clusterId", array_agg(s.tag) FILTER (WHERE s.k = pc.k) AS shared, array_agg(s.tag) AS every
    FROM node_tag s JOIN per_cluster pc ON pc.id = s."clusterId" GROUP BY 1
  ),
  target AS (
    SELECT 'cluster' AS kind, c.id, c.name,
      -- Repeats are harmless to ANY() and &&; the page's rows are deduplicated in TypeScript.
      c.tags || CASE WHEN pc.tags_lo = pc.tags_hi THEN pc.tags_lo ELSE coalesce(st.shared, '{}') END AS tags,
      ARRAY(SELECT DISTINCT x FROM unnest(c.tags || coalesce(st.every, '{}')) x ORDER BY 1) AS facet_tags,
      c.name || pc.search AS search, pc.versions, pc.statuses,
      btrim(c."goldenVersion") AS own_golden, fleet_version_key(c."goldenVersion") AS own_key,
      pc.min_key, pc.min_key <> pc.max_key AS split, pc.cut, pc.last_contact
    FROM per_cluster pc JOIN "Cluster" c ON c.id = pc.id LEFT JOIN shared_tags st ON st."clusterId" = pc.id
    UNION ALL
    SELECT 'appliance', n.id, n.name, n.tags, ARRAY(SELECT DISTINCT x FROM unnest(n.tags) x ORDER BY 1), ARRAY[n.name, n.host],
      CASE WHEN n.version IS NULL THEN '{}' ELSE ARRAY[n.version] END, ARRAY[n.status],
      btrim(n."goldenVersion"), fleet_version_key(n."goldenVersion"),
      n.vkey, FALSE, n.cut, n."lastContactAt"
    FROM node n WHERE n."clusterId" IS NULL
  ),
  rule AS (SELECT * FROM (SELECT r.tag, btrim(r.version) AS version, fleet_version_key(r.version) AS vkey FROM "GoldenVersionRule" r) r WHERE r.vkey IS NOT NULL),
  ruled AS (
    -- The highest rule among the target's tags, when it has no golden version of its own.
    SELECT t.*, CASE WHEN t.own_key IS NULL THEN (
      SELECT r.tag FROM rule r WHERE r.tag = ANY(t.tags)
      ORDER BY r.vkey DESC, r.version COLLATE "C" DESC, r.tag COLLATE "C" LIMIT 1
    ) END AS rule_tag
    FROM target t
  )
  SELECT t.id, t.kind, t.name, t.tags, t.facet_tags, md5(array_to_string(t.facet_tags, E'\u0001')), t.search, lower(array_to_string(t.search, E'\u0001')), t.versions, t.statuses, t.min_key, t.last_contact,
    CASE WHEN t.own_key IS NOT NULL THEN t.own_golden ELSE b.version END,
    CASE WHEN t.own_key IS NOT NULL THEN NULL ELSE b.tag END,
    CASE
      WHEN t.cut THEN 'unreachable'
      WHEN t.split THEN 'mixed'
      WHEN coalesce(t.own_key, b.vkey) IS NULL THEN 'no-golden'
      WHEN t.min_key < coalesce(t.own_key, b.vkey) THEN 'behind'
      WHEN t.min_key > coalesce(t.own_key, b.vkey) THEN 'ahead'
      ELSE 'up-to-date' END
  FROM ruled t LEFT JOIN rule b ON b.tag = t.rule_tag
$$;

-- Recomputes the given targets' rows: a target without nodes (a cluster whose last node left, a
-- removed appliance) loses its row. Two transactions touching one target take turns, so the second
-- reads what the first committed and no change is lost to a stale read; a large batch (seeding,
-- a rule change) takes the whole fleet at once rather than thousands of locks.
CREATE FUNCTION fleet_target_refresh(targets uuid[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  -- (72707062, 0) is the whole fleet; (72707063, hash of the id) one target.
  lock_space CONSTANT int := 72707062;
BEGIN
  targets := ARRAY(SELECT DISTINCT t FROM unnest(targets) t WHERE t IS NOT NULL ORDER BY 1);
  IF cardinality(targets) = 0 THEN RETURN; END IF;
  IF cardinality(targets) > 64 THEN
    PERFORM pg_advisory_xact_lock(lock_space, 0);
  ELSE
    PERFORM pg_advisory_xact_lock_shared(lock_space, 0);
    PERFORM pg_advisory_xact_lock(lock_space + 1, hashtext(t::text)) FROM unnest(targets) t;
  END IF;
  DELETE FROM "FleetTarget" f WHERE f.id = ANY(targets);
  INSERT INTO "FleetTarget" (id, kind, name, tags, "facetTags", "facetKey", search, "searchText", versions, statuses, "minKey", "lastContact", golden, "goldenTag", compliance)
  SELECT * FROM fleet_classify(targets);
END $$;

CREATE FUNCTION fleet_target_refresh_all() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM fleet_target_refresh(ARRAY(SELECT id FROM "FleetTarget" UNION SELECT coalesce("clusterId", id) FROM "Appliance"));
  RETURN NULL;
END $$;

-- An appliance's target is its cluster, or itself when standalone; a move touches both sides.
CREATE FUNCTION fleet_target_after_appliance() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM fleet_target_refresh(ARRAY(SELECT coalesce(n."clusterId", n.id) FROM new_rows n));
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM fleet_target_refresh(ARRAY(SELECT coalesce(o."clusterId", o.id) FROM old_rows o));
  ELSE
    PERFORM fleet_target_refresh(ARRAY(SELECT coalesce(n."clusterId", n.id) FROM new_rows n UNION ALL SELECT coalesce(o."clusterId", o.id) FROM old_rows o));
  END IF;
  RETURN NULL;
END $$;

CREATE FUNCTION fleet_target_after_cluster() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM fleet_target_refresh(ARRAY(SELECT n.id FROM new_rows n));
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM fleet_target_refresh(ARRAY(SELECT o.id FROM old_rows o));
  ELSE
    PERFORM fleet_target_refresh(ARRAY(SELECT n.id FROM new_rows n UNION ALL SELECT o.id FROM old_rows o));
  END IF;
  RETURN NULL;
END $$;

-- A rule touches the targets carrying its tag (before or after the change).
CREATE FUNCTION fleet_target_after_rule() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  changed text[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    changed := ARRAY(SELECT n.tag FROM new_rows n);
  ELSIF TG_OP = 'DELETE' THEN
    changed := ARRAY(SELECT o.tag FROM old_rows o);
  ELSE
    changed := ARRAY(SELECT n.tag FROM new_rows n UNION SELECT o.tag FROM old_rows o);
  END IF;
  PERFORM fleet_target_refresh(ARRAY(SELECT f.id FROM "FleetTarget" f WHERE f.tags && changed));
  RETURN NULL;
END $$;

CREATE TRIGGER fleet_target_appliance_insert AFTER INSERT ON "Appliance" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION fleet_target_after_appliance();
CREATE TRIGGER fleet_target_appliance_update AFTER UPDATE ON "Appliance" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION fleet_target_after_appliance();
CREATE TRIGGER fleet_target_appliance_delete AFTER DELETE ON "Appliance" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION fleet_target_after_appliance();
CREATE TRIGGER fleet_target_cluster_insert AFTER INSERT ON "Cluster" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION fleet_target_after_cluster();
CREATE TRIGGER fleet_target_cluster_update AFTER UPDATE ON "Cluster" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION fleet_target_after_cluster();
CREATE TRIGGER fleet_target_cluster_delete AFTER DELETE ON "Cluster" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION fleet_target_after_cluster();
CREATE TRIGGER fleet_target_rule_insert AFTER INSERT ON "GoldenVersionRule" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION fleet_target_after_rule();
CREATE TRIGGER fleet_target_rule_update AFTER UPDATE ON "GoldenVersionRule" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION fleet_target_after_rule();
CREATE TRIGGER fleet_target_rule_delete AFTER DELETE ON "GoldenVersionRule" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION fleet_target_after_rule();
-- TRUNCATE fires no row triggers: start again from the tables.
CREATE TRIGGER fleet_target_appliance_truncate AFTER TRUNCATE ON "Appliance" FOR EACH STATEMENT EXECUTE FUNCTION fleet_target_refresh_all();
CREATE TRIGGER fleet_target_cluster_truncate AFTER TRUNCATE ON "Cluster" FOR EACH STATEMENT EXECUTE FUNCTION fleet_target_refresh_all();
CREATE TRIGGER fleet_target_rule_truncate AFTER TRUNCATE ON "GoldenVersionRule" FOR EACH STATEMENT EXECUTE FUNCTION fleet_target_refresh_all();

-- The fleet as it stands when this migration runs.
SELECT fleet_target_refresh(ARRAY(SELECT DISTINCT coalesce("clusterId", id) FROM "Appliance"));

// The fleet as campaign targets: one per cluster (all its nodes move together; its entry node is
// a ready one) and one per standalone appliance, kept when the selection matches
// (lib/domain/campaign-selection.ts). Read from Postgres only: nothing is asked of an appliance.
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { clusterTargetTags, matchesSelection } from "@/lib/domain/campaign-selection";
import { compareVersions, formatVersion, parseVersion, sameVersion, type Version } from "@/lib/domain/version";
import { SelectionSchema, siteOf, type Selection } from "@/lib/campaigns/campaign-input";

export interface SelectedNode {
  applianceId: string;
  name: string;
  version: string | null;
  model: string | null;
  status: string;
  statusReason: string | null;
  tags: string[];
}

export interface SelectedTarget {
  kind: "cluster" | "appliance";
  clusterId: string | null;
  /** The standalone appliance, or the cluster's entry node. */
  applianceId: string;
  name: string;
  site: string | null;
  /** The lowest version among the nodes (where a plan starts from), null when one is unknown. */
  fromVersion: string | null;
  model: string | null;
  tags: string[];
  nodes: SelectedNode[];
  /** Something a person should know before planning: mixed or unknown versions. */
  reason: string | null;
}

export async function selectTargets(db: Db, selection: Selection): Promise<SelectedTarget[]> {
  const parsed = SelectionSchema.safeParse(selection);
  if (!parsed.success) throw new AppError("bad-input", parsed.error.issues.map((i) => `selection.${i.path.join(".")}: ${i.message}`).join("; "));
  const appliances = await db.appliance.findMany({
    orderBy: { name: "asc" },
    select: { id: true, name: true, version: true, model: true, status: true, statusReason: true, tags: true, clusterId: true, cluster: { select: { id: true, name: true, tags: true } } },
  });
  const node = (a: (typeof appliances)[number]): SelectedNode => ({ applianceId: a.id, name: a.name, version: a.version, model: a.model, status: a.status, statusReason: a.statusReason, tags: a.tags });
  const targets: SelectedTarget[] = [];
  const clusters = new Map<string, { name: string; tags: string[]; nodes: SelectedNode[] }>();
  for (const a of appliances) {
    if (!a.cluster) {
      targets.push(describe("appliance", null, a.name, a.tags, [node(a)]));
      continue;
    }
    const c = clusters.get(a.cluster.id) ?? { name: a.cluster.name, tags: a.cluster.tags, nodes: [] };
    c.nodes.push(node(a));
    clusters.set(a.cluster.id, c);
  }
  for (const [id, c] of clusters) targets.push(describe("cluster", id, c.name, clusterTargetTags(c.tags, c.nodes.map((n) => n.tags)), c.nodes));
  return targets
    .filter((t) => matchesSelection({ name: t.name, nodeNames: t.kind === "cluster" ? t.nodes.map((n) => n.name) : [], tags: t.tags, versions: t.nodes.map((n) => n.version), models: t.nodes.map((n) => n.model) }, parsed.data))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function describe(kind: "cluster" | "appliance", clusterId: string | null, name: string, tags: string[], nodes: SelectedNode[]): SelectedTarget {
  const entry = nodes.find((n) => n.status === "ok") ?? nodes[0]!;
  const versions = nodes.map((n) => (n.version ? parseVersion(n.version) : null));
  const known = versions.filter((v): v is Version => v !== null);
  const lowest = known.length === nodes.length ? [...known].sort(compareVersions)[0] ?? null : null;
  const distinct = known.filter((v, i) => known.findIndex((w) => sameVersion(v, w)) === i);
  const unknown = nodes.filter((_, i) => versions[i] === null).map((n) => n.name);
  const reason = unknown.length
    ? `The version of ${unknown.join(", ")} is not known.`
    : distinct.length > 1 ? `Mixed versions: ${nodes.map((n) => `${n.name} ${n.version}`).join(", ")}.` : null;
  const models = [...new Set(nodes.map((n) => n.model).filter((m): m is string => m !== null))];
  return {
    kind, clusterId, applianceId: entry.applianceId, name, site: siteOf(tags), fromVersion: lowest ? formatVersion(lowest) : null,
    model: models.length === 1 ? models[0]! : models.length ? models.join(", ") : null, tags, nodes, reason,
  };
}

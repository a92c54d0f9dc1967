// The fleet at a glance (GET /api/fleet): every cluster and standalone appliance with its versions,
// node states, last contact, the plan touching it, its golden version and compliance; counts on
// top; search, filters, sort and server-side paging. A few lean queries whatever the fleet's size:
// one statement over the rows the database keeps judged (lib/fleet/fleet-sql.ts) for counts, total,
// the page's rows with their nodes and plans, and the filters' choices.
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { classifyCompliance, emptyComplianceCounts, type Compliance, type GoldenVersion } from "@/lib/domain/compliance";
import { compareVersions, parseVersion } from "@/lib/domain/version";
import { FleetQuerySchema, type FleetQuery, type FleetQueryInput } from "@/lib/fleet/fleet-query";
import { fleetPageStatement, type FleetPageResult } from "@/lib/fleet/fleet-sql";

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
  const [result] = await db.$queryRaw<FleetPageResult[]>(fleetPageStatement(query));
  const { counts, total, rows } = result!;
  const facets = { versions: distinctVersions(result!.facet_versions.map((version) => ({ version }))), tags: [...result!.facet_tags].sort(), appliances: result!.appliances };
  return {
    rows: rows.map((r) => {
      const own: FleetNode[] = (r.nodes ?? []).map((n) => ({ ...n, lastContactAt: utc(n.lastContactAt) }));
      const golden: GoldenVersion | null = r.golden === null ? null : r.golden_tag === null ? { version: r.golden, source: "own", tag: null } : { version: r.golden, source: "rule", tag: r.golden_tag };
      const entry = own.find((n) => n.status === "ok") ?? own[0];
      return {
        kind: r.kind, id: r.id, name: r.name, entryApplianceId: entry?.id ?? r.id, nodes: own, versions: distinctVersions(own),
        lastContactAt: utc(r.last_contact), tags: [...new Set(r.tags)].sort(), golden,
        compliance: r.compliance as Compliance, complianceReason: classifyCompliance(own, golden?.version ?? null).reason,
        plan: r.plan && { ...r.plan, createdAt: utc(r.plan.createdAt)!, finishedAt: utc(r.plan.finishedAt) },
      };
    }),
    total, page: query.page, pageSize: query.pageSize, pageCount: Math.max(1, Math.ceil(total / query.pageSize)),
    counts: { ...emptyComplianceCounts(), ...counts }, facets, query,
  };
}

function distinctVersions(nodes: readonly { version: string | null }[]): string[] {
  const known = [...new Set(nodes.map((n) => n.version).filter((v): v is string => v !== null))];
  return known.sort((a, b) => {
    const [va, vb] = [parseVersion(a), parseVersion(b)];
    return va && vb ? compareVersions(va, vb) || (a < b ? -1 : 1) : va ? -1 : vb ? 1 : a < b ? -1 : 1;
  });
}

// Which appliances a plan touches, in order, and which method it may use. A cluster plan names
// the cluster; its entry node (first by name) serves backups and cluster reads.
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import type { PlanMethod } from "@/lib/domain/upgrade-path-types";

export interface PlanTargets {
  clusterId: string | null;
  clustered: boolean;
  entry: { id: string; name: string; version: string | null };
  nodes: { id: string; name: string; version: string | null; model: string | null }[];
}

export async function resolvePlanTargets(db: Db, input: { applianceId?: string; clusterId?: string }): Promise<PlanTargets> {
  if (input.clusterId) {
    const cluster = await db.cluster.findUniqueOrThrow({ where: { id: input.clusterId }, include: { appliances: { orderBy: { name: "asc" } } } });
    if (cluster.appliances.length === 0) throw new AppError("precondition-failed", `Cluster ${cluster.name} has no enrolled node.`);
    const nodes = cluster.appliances.map((a) => ({ id: a.id, name: a.name, version: a.version, model: a.model }));
    return { clusterId: cluster.id, clustered: true, entry: nodes[0]!, nodes };
  }
  if (!input.applianceId) throw new AppError("bad-input", "applianceId or clusterId: say what to upgrade");
  const a = await db.appliance.findUniqueOrThrow({ where: { id: input.applianceId } });
  if (a.clusterId) {
    return { clusterId: a.clusterId, clustered: true, entry: a, nodes: [{ id: a.id, name: a.name, version: a.version, model: a.model }] };
  }
  return { clusterId: null, clustered: false, entry: a, nodes: [{ id: a.id, name: a.name, version: a.version, model: a.model }] };
}

export const CLUSTER_METHODS: readonly PlanMethod[] = ["online-rolling", "offline-in-place", "remove-rebuild"];

export function defaultMethod(targets: PlanTargets): PlanMethod {
  return targets.clustered && targets.nodes.length > 1 ? "online-rolling" : "standalone";
}

// Read models for the plan room and the history. Nothing secret is selected.
import type { Db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { computeReadiness } from "@/lib/plans/plan-readiness";
import { needsWindow } from "@/lib/domain/maintenance-window";

export async function getPlan(db: Db, planId: string) {
  const plan = await db.upgradePlan.findUniqueOrThrow({
    where: { id: planId },
    include: {
      appliance: { select: { id: true, name: true, host: true, version: true, model: true, status: true } },
      steps: { orderBy: { position: "asc" }, omit: { output: false } },
      prechecks: { orderBy: { takenAt: "asc" } },
      backups: { omit: { attestation: true, backupPath: true, keyPath: true }, orderBy: { confirmedAt: "asc" } },
      window: true,
    },
  });
  const readiness = ["draft", "prechecked", "ready"].includes(plan.state) ? await computeReadiness(db, planId) : null;
  return { ...plan, readiness, needsWindow: needsWindow(plan.method) };
}

/**
 * The history, newest first. An appliance's history holds its standalone plans and every cluster
 * plan that listed it as a node; a cluster's, every plan made for the cluster.
 */
export async function listPlans(db: Db, filter: { applianceId?: string; clusterId?: string } = {}) {
  const where: Prisma.UpgradePlanWhereInput = {
    ...(filter.applianceId ? { OR: [{ applianceId: filter.applianceId }, { nodes: { array_contains: [{ applianceId: filter.applianceId }] } }] } : {}),
    ...(filter.clusterId ? { clusterId: filter.clusterId } : {}),
  };
  return db.upgradePlan.findMany({
    where,
    orderBy: { createdAt: "desc" },
    take: 200,
    include: {
      appliance: { select: { id: true, name: true } },
      cluster: { select: { id: true, name: true } },
      steps: { select: { key: true, state: true, title: true, startedAt: true, finishedAt: true, outcome: true }, orderBy: { position: "asc" } },
    },
  });
}

/** The appliance or cluster a filtered history is about, for its heading; null if there is none. */
export async function readHistoryTarget(db: Db, filter: { applianceId?: string; clusterId?: string }) {
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
  if (filter.clusterId && uuid.test(filter.clusterId)) {
    const c = await db.cluster.findUnique({ where: { id: filter.clusterId }, select: { id: true, name: true, _count: { select: { appliances: true } } } });
    return c ? { kind: "cluster" as const, id: c.id, name: c.name, detail: `${c._count.appliances} nodes` } : null;
  }
  if (filter.applianceId && uuid.test(filter.applianceId)) {
    const a = await db.appliance.findUnique({ where: { id: filter.applianceId }, select: { id: true, name: true, version: true, cluster: { select: { id: true, name: true } } } });
    return a ? { kind: "appliance" as const, id: a.id, name: a.name, detail: a.cluster ? `node of cluster ${a.cluster.name}` : `standalone, on ${a.version ?? "an unknown version"}`, cluster: a.cluster } : null;
  }
  return null;
}

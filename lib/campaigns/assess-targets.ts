// Plannability of campaign targets from stored facts (lib/domain/campaign-method.ts): the release
// catalog, verified archives, locks held by active plans, approved windows and each node's last
// observed version and status. No appliance is contacted.
import type { Db } from "@/lib/db/client";
import { assessTarget, type TargetAssessment } from "@/lib/domain/campaign-method";
import { parseVersion, type Version } from "@/lib/domain/version";
import type { PlanMethod } from "@/lib/domain/upgrade-path-types";
import { loadReleaseCatalog } from "@/lib/plans/release-catalog";
import type { CampaignPolicy } from "@/lib/campaigns/campaign-input";
import type { SelectedTarget } from "@/lib/campaigns/select-targets";
import { findWindowedPlans } from "@/lib/campaigns/windowed-plan";
import { archiveCandidateFlags } from "@/lib/archives/deployable";

export async function assessTargets(db: Db, targets: SelectedTarget[], targetVersion: string, policy: CampaignPolicy): Promise<TargetAssessment[]> {
  const to = parseVersion(targetVersion)!;
  const catalog = await loadReleaseCatalog(db);
  // As createPlan's assignArchives: refused and detached-signature archives stay candidates so the
  // reason names them [U1].
  const archives = (await db.archive.findMany({ where: { status: { in: ["verified", "refused"] }, kind: "upgrade" } })).flatMap((a) => {
    const version: Version | null = a.version ? parseVersion(a.version) : null;
    return version ? [{ version, ...archiveCandidateFlags(a), fileName: a.fileName, id: a.id }] : [];
  });
  const locks = await db.applianceLock.findMany({ where: { applianceId: { in: targets.flatMap((t) => t.nodes.map((n) => n.applianceId)) } } });
  const lockOf = new Map(locks.map((l) => [l.applianceId, l.planId]));
  const windowed = await findWindowedPlans(db, targets.flatMap((t) => (t.clusterId ? [t.clusterId] : [])), targetVersion);
  return targets.map((t) => assessTarget({
    catalog, archives, to, kind: t.kind,
    nodes: t.nodes.map((n) => ({ name: n.name, version: n.version, status: n.status, statusReason: n.statusReason, lockedByPlanId: lockOf.get(n.applianceId) ?? null })),
    clusterMethods: policy.clusterMethods,
    approvedWindows: windowed.filter((p) => p.clusterId === t.clusterId).map((p) => p.method as PlanMethod),
  }));
}

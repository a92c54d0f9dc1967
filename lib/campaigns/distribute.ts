// Ahead-of-time distribution (issue 5): every target still waiting gets the archives its plan will
// need copied to each of its nodes, one queue job per (node, archive). The limits (uploads at once
// across the fleet, bytes per second per site) are enforced by the jobs themselves, across every
// worker process: see workers/distribute-archive.ts and docs/campaigns.md "Distribution".
import type { Db } from "@/lib/db/client";
import { logger } from "@/lib/log/logger";
import { loadReleaseCatalog } from "@/lib/plans/release-catalog";
import { enqueueDistribution } from "@/lib/queue/distribute-queue";
import { DistributionSchema } from "./campaign-input";
import { planTargetDistribution, type TargetDistribution } from "./distribution-plan";
import { DISTRIBUTABLE_STATES, failTargetDistribution } from "./distribution-outcome";
import { saveTargetPlans } from "./distribution-progress";

export { readDistributionProgress, type TargetDistributionProgress } from "./distribution-progress";

export interface DistributionStart {
  /** Jobs added now; 0 when everything was already queued or done. */
  added: number;
  /** Targets whose archives could not be chosen: failed with the reason. */
  refused: { targetId: string; reason: string }[];
}

/**
 * Plans and enqueues the copies of a campaign. Safe to call again (after a restart, or to retry
 * targets put back to pending): job ids are deterministic, so nothing already queued, running or
 * done is added twice, and targets already distributed are left alone.
 */
export async function startCampaignDistribution(db: Db, campaignId: string): Promise<DistributionStart> {
  const campaign = await db.campaign.findUniqueOrThrow({ where: { id: campaignId } });
  const config = DistributionSchema.parse(campaign.distribution);
  if (!config.enabled) return { added: 0, refused: [] };
  const targets = await db.campaignTarget.findMany({ where: { campaignId, state: { in: DISTRIBUTABLE_STATES }, distributedAt: null }, orderBy: { name: "asc" } });
  const catalog = await loadReleaseCatalog(db);
  const planned: TargetDistribution[] = [];
  const refused: DistributionStart["refused"] = [];
  for (const target of targets) {
    const plan = await planTargetDistribution(db, catalog, campaign, target);
    if (plan.ok) {
      const { ok: _ok, ...rest } = plan;
      planned.push(rest);
      continue;
    }
    refused.push({ targetId: target.id, reason: plan.reason });
    await failTargetDistribution(db, { id: target.id, campaignId, name: target.name }, `no archives to copy: ${plan.reason}`);
  }
  // The plan is stored before any job exists: a job reads it to know when its target is complete.
  await saveTargetPlans(campaignId, planned);
  let added = 0;
  for (const plan of planned) {
    for (const node of plan.nodes) {
      for (const archive of plan.archives) {
        const result = await enqueueDistribution({ campaignId, targetId: plan.targetId, applianceId: node.applianceId, archiveId: archive.archiveId });
        if (result === "added") added++;
      }
    }
  }
  logger.info({ campaignId, targets: planned.length, added, refused: refused.length }, "campaign distribution started");
  return { added, refused };
}

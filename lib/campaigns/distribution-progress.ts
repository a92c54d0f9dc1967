// Distribution state that changes by the second lives in Redis next to its queue: what was planned
// per target, and bytes acknowledged per (target, node, archive). Postgres keeps only the outcome
// (CampaignTarget.distributedAt, state, reason).
import type { Redis } from "ioredis";
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { getConfig } from "@/lib/config";
import { getSharedRedis } from "@/lib/queue/connection";
import { TargetDistributionSchema, type TargetDistribution } from "./distribution-plan";

const KEEP_SECONDS = 30 * 86_400;
/** A copy that reported nothing for this long no longer counts towards the rate. */
const RATE_WINDOW_MS = 5_000;

const base = (campaignId: string) => `${getConfig().queuePrefix}:distribution:${campaignId}`;

export const distributionKeys = {
  plan: (campaignId: string) => `${base(campaignId)}:plan`,
  progress: (campaignId: string) => `${base(campaignId)}:progress`,
  /** The campaign's fleet-wide upload slots (lib/queue/redis-semaphore). */
  uploads: (campaignId: string) => `${base(campaignId)}:uploads`,
  /** The campaign's bytes-per-second budget of one site (lib/queue/redis-rate-limiter). */
  site: (campaignId: string, site: string | null) => `${base(campaignId)}:site:${site ?? "(no site)"}`,
};

export const itemField = (targetId: string, applianceId: string, archiveId: string) => `${targetId}/${applianceId}/${archiveId}`;

const ItemProgressSchema = z.object({
  sent: z.number(),
  total: z.number(),
  /** When this attempt started copying, and the offset it resumed from (for the rate). */
  startedAt: z.number(),
  resumedFrom: z.number(),
  at: z.number(),
  done: z.boolean(),
});
export type ItemProgress = z.infer<typeof ItemProgressSchema>;

function redis(): Redis {
  return getSharedRedis("producer");
}

export async function saveTargetPlans(campaignId: string, plans: TargetDistribution[]): Promise<void> {
  if (plans.length === 0) return;
  const key = distributionKeys.plan(campaignId);
  await redis().multi().hset(key, Object.fromEntries(plans.map((p) => [p.targetId, JSON.stringify(p)]))).expire(key, KEEP_SECONDS).exec();
}

export async function loadTargetPlans(campaignId: string): Promise<Map<string, TargetDistribution>> {
  const raw = await redis().hgetall(distributionKeys.plan(campaignId));
  const plans = new Map<string, TargetDistribution>();
  for (const [targetId, json] of Object.entries(raw)) {
    const parsed = TargetDistributionSchema.safeParse(JSON.parse(json));
    if (parsed.success) plans.set(targetId, parsed.data);
  }
  return plans;
}

export async function loadTargetPlan(campaignId: string, targetId: string): Promise<TargetDistribution | null> {
  const json = await redis().hget(distributionKeys.plan(campaignId), targetId);
  const parsed = json ? TargetDistributionSchema.safeParse(JSON.parse(json)) : null;
  return parsed?.success ? parsed.data : null;
}

export async function recordItemProgress(campaignId: string, field: string, progress: ItemProgress): Promise<void> {
  const key = distributionKeys.progress(campaignId);
  await redis().multi().hset(key, field, JSON.stringify(progress)).expire(key, KEEP_SECONDS).exec();
}

async function loadProgress(campaignId: string): Promise<Map<string, ItemProgress>> {
  const raw = await redis().hgetall(distributionKeys.progress(campaignId));
  const out = new Map<string, ItemProgress>();
  for (const [field, json] of Object.entries(raw)) {
    const parsed = ItemProgressSchema.safeParse(JSON.parse(json));
    if (parsed.success) out.set(field, parsed.data);
  }
  return out;
}

/** True once every (node, archive) of the target's plan is copied and verified. */
export async function isTargetCopied(campaignId: string, plan: TargetDistribution): Promise<boolean> {
  const fields = plan.nodes.flatMap((n) => plan.archives.map((a) => itemField(plan.targetId, n.applianceId, a.archiveId)));
  if (fields.length === 0) return false;
  const raw = await redis().hmget(distributionKeys.progress(campaignId), ...fields);
  return raw.every((json) => json !== null && ItemProgressSchema.safeParse(JSON.parse(json)).data?.done === true);
}

export interface TargetDistributionProgress {
  targetId: string;
  name: string;
  site: string | null;
  state: string;
  reason: string | null;
  distributedAt: Date | null;
  nodesDone: number;
  nodesTotal: number;
  bytesDone: number;
  bytesTotal: number;
  /** Bytes per second over the copies running now (0 when none is). */
  rate: number;
  /** At the current rate; null when nothing is moving. */
  etaSeconds: number | null;
}

/** Per target: nodes and bytes copied out of what its plan needs, the current rate and time left. */
export async function readDistributionProgress(db: Db, campaignId: string): Promise<TargetDistributionProgress[]> {
  const targets = await db.campaignTarget.findMany({ where: { campaignId }, orderBy: { name: "asc" } });
  const [plans, progress] = await Promise.all([loadTargetPlans(campaignId), loadProgress(campaignId)]);
  const now = Date.now();
  return targets.map((t) => {
    const plan = plans.get(t.id);
    const row = { targetId: t.id, name: t.name, site: t.site, state: t.state, reason: t.reason, distributedAt: t.distributedAt };
    if (!plan) return { ...row, nodesDone: 0, nodesTotal: 0, bytesDone: 0, bytesTotal: 0, rate: 0, etaSeconds: null };
    let bytesDone = 0;
    let rate = 0;
    let nodesDone = 0;
    for (const node of plan.nodes) {
      let nodeDone = true;
      for (const a of plan.archives) {
        const p = progress.get(itemField(t.id, node.applianceId, a.archiveId));
        const done = p?.done === true || t.distributedAt !== null;
        nodeDone &&= done;
        bytesDone += done ? a.sizeBytes : Math.min(p?.sent ?? 0, a.sizeBytes);
        if (p && !done && now - p.at < RATE_WINDOW_MS && p.at > p.startedAt) rate += (p.sent - p.resumedFrom) / ((p.at - p.startedAt) / 1000);
      }
      if (nodeDone) nodesDone++;
    }
    const bytesTotal = plan.nodes.length * plan.archives.reduce((s, a) => s + a.sizeBytes, 0);
    return { ...row, nodesDone, nodesTotal: plan.nodes.length, bytesDone, bytesTotal, rate, etaSeconds: rate > 0 ? (bytesTotal - bytesDone) / rate : null };
  });
}

// What distribution writes on a CampaignTarget. Every write is a guarded updateMany, so running it
// twice, or after the campaign engine moved the target on, changes nothing; each real change is
// audited in the same transaction.
import type { Db } from "@/lib/db/client";
import { appendAuditEvent, SYSTEM_ACTOR } from "@/lib/audit/append-audit-event";

/** Target states distribution may act on; later states belong to the target's plan. */
export const DISTRIBUTABLE_STATES = ["pending", "distributing"];

/** pending -> distributing while its archives are being copied. */
export async function markTargetDistributing(db: Db, targetId: string): Promise<void> {
  await db.campaignTarget.updateMany({ where: { id: targetId, state: "pending" }, data: { state: "distributing" } });
}

/** Every (node, archive) is copied and verified: distributedAt is set once, and the target waits for its wave again. */
export async function markTargetDistributed(db: Db, target: { id: string; campaignId: string; name: string }, detail: Record<string, unknown>): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const set = await tx.campaignTarget.updateMany({ where: { id: target.id, distributedAt: null }, data: { distributedAt: new Date() } });
    if (set.count === 0) return false;
    await tx.campaignTarget.updateMany({ where: { id: target.id, state: "distributing" }, data: { state: "pending" } });
    await appendAuditEvent(tx, { actor: SYSTEM_ACTOR, action: "campaign-target-distributed", subjectType: "campaign", subjectId: target.campaignId, data: { target: target.name, targetId: target.id, ...detail } });
    return true;
  });
}

/** A copy failed for good: the target fails with the reason, unless it already moved past distribution. */
export async function failTargetDistribution(db: Db, target: { id: string; campaignId: string; name: string }, reason: string): Promise<boolean> {
  const text = `distribution: ${reason}`;
  return db.$transaction(async (tx) => {
    const failed = await tx.campaignTarget.updateMany({
      where: { id: target.id, state: { in: DISTRIBUTABLE_STATES } },
      data: { state: "failed", reason: text, finishedAt: new Date() },
    });
    if (failed.count === 0) return false;
    await appendAuditEvent(tx, { actor: SYSTEM_ACTOR, action: "campaign-target-failed", subjectType: "campaign", subjectId: target.campaignId, data: { target: target.name, targetId: target.id, reason: text } });
    return true;
  });
}

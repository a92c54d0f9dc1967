// A started target follows its plan (lib/domain/campaign-state.ts targetStateForPlan): running,
// soaking once upgraded, failed, or aborted when the campaign's abort stopped it. Also settles a
// start the console lost (its process stopped mid-way), truthfully. Database only, under the lock.
import type { Tx } from "@/lib/db/client";
import { appendAuditEvent, SYSTEM_ACTOR } from "@/lib/audit/append-audit-event";
import { targetStateForPlan, WAITING_TARGET_STATES, type CampaignState, type TargetState } from "@/lib/domain/campaign-state";

/** Longer than a backup may take (30 minutes) plus the prechecks: a start older than this was lost. */
export const STARTING_STALE_MS = 45 * 60_000;

/** Targets this process is starting now: never taken for lost. */
export const startingNow = new Set<string>();

export async function syncTargets(tx: Tx, campaignId: string, only?: string[]): Promise<number> {
  const campaign = await tx.campaign.findUniqueOrThrow({ where: { id: campaignId }, select: { state: true } });
  const targets = await tx.campaignTarget.findMany({ where: { campaignId, state: { in: ["starting", "running"] }, ...(only ? { id: { in: only } } : {}) } });
  const plans = await tx.upgradePlan.findMany({ where: { campaignTargetId: { in: targets.map((t) => t.id) } }, select: { id: true, campaignTargetId: true, state: true, stateReason: true, scheduled: true, pauseAfterNode: true, finishedAt: true } });
  let changed = 0;
  for (const t of targets) {
    const plan = plans.find((p) => p.campaignTargetId === t.id);
    let next = plan ? targetStateForPlan(plan, campaign.state as CampaignState) : null;
    const lost = t.state === "starting" && !startingNow.has(t.id) && t.startedAt !== null && Date.now() - t.startedAt.getTime() > STARTING_STALE_MS;
    if (!next && lost) {
      next = { state: "failed", reason: plan ? `Its start was interrupted (the console stopped) after plan ${plan.id} was made; that plan was never launched.` : "Its start was interrupted (the console stopped) before a plan was made; nothing ran on the appliance." };
    }
    if (!next || (next.state === t.state && next.reason === t.reason)) continue;
    if (await setTargetState(tx, t, next.state, next.reason, plan?.finishedAt ?? new Date())) changed++;
  }
  return changed;
}

/** Changes a target's state if it still is what was read, and audits the change. */
export async function setTargetState(
  tx: Tx, target: { id: string; campaignId: string; name: string; state: string }, state: TargetState, reason: string | null, at = new Date(),
): Promise<boolean> {
  const ends = state === "soaking" || state === "succeeded" || state === "failed" || state === "aborted" || state === "skipped";
  const updated = await tx.campaignTarget.updateMany({ where: { id: target.id, state: target.state }, data: { state, reason, ...(ends && target.state !== "soaking" ? { finishedAt: at } : {}) } });
  if (updated.count === 0) return false;
  if (state !== target.state) {
    await appendAuditEvent(tx, { actor: SYSTEM_ACTOR, action: "campaign-target-state", subjectType: "campaign", subjectId: target.campaignId, data: { target: target.name, from: target.state, to: state, reason } });
  }
  return true;
}

/** Targets that never started are skipped when the campaign halts or is aborted. */
export async function skipWaitingTargets(tx: Tx, campaignId: string, reason: string): Promise<string[]> {
  const waiting = await tx.campaignTarget.findMany({ where: { campaignId, state: { in: [...WAITING_TARGET_STATES] } }, select: { id: true, name: true } });
  await tx.campaignTarget.updateMany({ where: { id: { in: waiting.map((t) => t.id) }, state: { in: [...WAITING_TARGET_STATES] } }, data: { state: "skipped", reason, finishedAt: new Date() } });
  return waiting.map((t) => t.name);
}

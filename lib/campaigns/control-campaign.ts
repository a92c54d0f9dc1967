// What people do to a campaign: launch, pause, resume, abort, approve a wave, advance to the next
// wave. Each is one transaction under the campaign's lock with its audit event; the driver
// (advance-campaign.ts) then acts on the new state. Abort starts nothing new; plans already
// running finish their current node and pause (lib/domain/campaign-stop.ts).
import { z } from "zod";
import type { Db, Tx } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { appendAuditEvent, type Actor } from "@/lib/audit/append-audit-event";
import { logger } from "@/lib/log/logger";
import { hasPermission, type Role } from "@/lib/domain/permissions";
import { transitionCampaign, type CampaignControl, type CampaignState } from "@/lib/domain/campaign-state";
import { advancePlan } from "@/lib/plans/advance-plan";
import { DistributionSchema, WaveConfigSchema } from "@/lib/campaigns/campaign-input";
import { withCampaignLock } from "@/lib/campaigns/campaign-lock";
import { kickCampaign } from "@/lib/campaigns/advance-campaign";
import { skipWaitingTargets } from "@/lib/campaigns/sync-targets";
import { startCampaignDistribution } from "@/lib/campaigns/distribute";

// The bodies (and the wave index in the path) of the campaign control routes under /api/campaigns/[id].
export const PauseCampaignSchema = z.object({ reason: z.string().trim().max(500).optional() }).strict();
export const AbortCampaignSchema = z.object({ reason: z.string().trim().min(1, "say why the campaign is aborted").max(500) }).strict();
export const ApproveWaveSchema = z.object({ comment: z.string().trim().max(500).optional() }).strict();
export const WaveIndexSchema = z.coerce.number({ error: "the wave index is a number" }).int().min(0);

async function load(tx: Tx, campaignId: string) {
  const c = await tx.campaign.findUnique({ where: { id: campaignId } });
  if (!c) throw new AppError("not-found", `No campaign ${campaignId}.`);
  return c;
}

function transition(state: string, action: CampaignControl): CampaignState {
  const t = transitionCampaign(state as CampaignState, action);
  if (!t.ok) throw new AppError(t.code === "reason-required" ? "bad-input" : t.code === "nothing-to-do" ? "precondition-failed" : "conflict", t.message);
  return t.state;
}

export async function launchCampaign(db: Db, actor: Actor, campaignId: string) {
  const c = await withCampaignLock(db, campaignId, async (tx) => {
    const campaign = await load(tx, campaignId);
    const plannable = await tx.campaignTarget.count({ where: { campaignId, wave: { not: null } } });
    transition(campaign.state, { type: "launch", plannableTargets: plannable });
    const updated = await tx.campaign.update({ where: { id: campaignId }, data: { state: "running", stateReason: null, currentWave: 0, launchedBy: actor.name, launchedAt: new Date() } });
    await appendAuditEvent(tx, { actor, action: "campaign-launched", subjectType: "campaign", subjectId: campaignId, data: { name: campaign.name, targetVersion: campaign.targetVersion, targets: plannable } });
    return updated;
  });
  await startDistributionIfEnabled(db, actor, c);
  kickCampaign(db, campaignId);
  return c;
}

export async function pauseCampaign(db: Db, actor: Actor, campaignId: string, reason?: string) {
  const c = await withCampaignLock(db, campaignId, async (tx) => {
    const campaign = await load(tx, campaignId);
    transition(campaign.state, { type: "pause" });
    const why = `Paused by ${actor.name}${reason?.trim() ? `: ${reason.trim()}` : ""}. Nothing new starts; running targets go on to their end.`;
    const updated = await tx.campaign.update({ where: { id: campaignId }, data: { state: "paused", stateReason: why } });
    await appendAuditEvent(tx, { actor, action: "campaign-paused", subjectType: "campaign", subjectId: campaignId, data: { reason: reason ?? null } });
    return updated;
  });
  return c;
}

export async function resumeCampaign(db: Db, actor: Actor, campaignId: string) {
  const c = await withCampaignLock(db, campaignId, async (tx) => {
    const campaign = await load(tx, campaignId);
    transition(campaign.state, { type: "resume" });
    const updated = await tx.campaign.update({ where: { id: campaignId }, data: { state: "running", stateReason: null } });
    await appendAuditEvent(tx, { actor, action: "campaign-resumed", subjectType: "campaign", subjectId: campaignId, data: {} });
    return updated;
  });
  // Copies that failed were put back by nobody; copies still due are queued again (idempotent).
  await startDistributionIfEnabled(db, actor, c);
  kickCampaign(db, campaignId);
  return c;
}

export async function abortCampaign(db: Db, actor: Actor, campaignId: string, reason: string) {
  const { campaign, plans } = await withCampaignLock(db, campaignId, async (tx) => {
    const before = await load(tx, campaignId);
    transition(before.state, { type: "abort", reason: reason ?? "" });
    const why = `Aborted by ${actor.name}: ${reason.trim()}`;
    const updated = await tx.campaign.update({ where: { id: campaignId }, data: { state: "aborted", stateReason: why, finishedAt: new Date() } });
    await tx.campaignWave.updateMany({ where: { campaignId, state: { in: ["pending", "awaiting-approval", "running", "soaking"] } }, data: { state: "halted", stateReason: why } });
    const skipped = await skipWaitingTargets(tx, campaignId, `Not started: ${why}.`);
    // Targets in their soak are upgraded: that is what they are now; no soak is left to judge them.
    const soaked = await tx.campaignTarget.findMany({ where: { campaignId, state: "soaking" }, select: { name: true } });
    await tx.campaignTarget.updateMany({ where: { campaignId, state: "soaking" }, data: { state: "succeeded", reason: "Upgraded; the campaign was aborted during its soak." } });
    const active = await tx.campaignTarget.findMany({ where: { campaignId, state: { in: ["starting", "running"] } }, select: { id: true } });
    const running = await tx.upgradePlan.findMany({ where: { campaignTargetId: { in: active.map((t) => t.id) }, state: "running" }, select: { id: true } });
    await appendAuditEvent(tx, { actor, action: "campaign-aborted", subjectType: "campaign", subjectId: campaignId, data: { reason, skipped, soaked: soaked.map((t) => t.name), plansStoppingAfterCurrentNode: running.map((p) => p.id) } });
    return { campaign: updated, plans: running };
  });
  // Plans between steps learn it now; the others when their current step ends.
  for (const p of plans) await advancePlan(db, p.id).catch((e: unknown) => logger.warn({ err: e, planId: p.id }, "advance after campaign abort failed"));
  kickCampaign(db, campaignId);
  return campaign;
}

/** An approver (or admin) other than the campaign's creator lets a wave start. */
export async function approveWave(db: Db, actor: Actor, campaignId: string, waveIndex: number, comment?: string) {
  if (actor.type !== "user" || !actor.id) throw new AppError("forbidden", "A person approves a wave: sign in as an approver.");
  const user = await db.user.findUnique({ where: { id: actor.id }, select: { role: true, disabled: true } });
  if (!user || user.disabled || !hasPermission(user.role as Role, "windows:decide")) throw new AppError("forbidden", "Only an approver (or an admin) approves a campaign's waves.");
  const wave = await withCampaignLock(db, campaignId, async (tx) => {
    const campaign = await load(tx, campaignId);
    if (!WaveConfigSchema.parse(campaign.waveConfig).approvalBeforeEachWave) throw new AppError("conflict", "This campaign does not ask for wave approvals: its waves start by themselves.");
    if (!["draft", "running", "paused"].includes(campaign.state)) throw new AppError("conflict", `The campaign is ${campaign.state}; nothing is left to approve.`);
    const created = await tx.auditEvent.findFirst({ where: { action: "campaign-created", subjectType: "campaign", subjectId: campaignId }, select: { actorId: true } });
    if (created?.actorId === actor.id || campaign.createdBy === actor.name) throw new AppError("forbidden", "You created this campaign: another approver must approve its waves (four eyes).");
    const w = await tx.campaignWave.findUnique({ where: { campaignId_index: { campaignId, index: waveIndex } } });
    if (!w) throw new AppError("not-found", `The campaign has no wave ${waveIndex}.`);
    if (w.approvedAt) throw new AppError("conflict", `${w.name} was already approved by ${w.approvedBy}.`);
    if (!["pending", "awaiting-approval"].includes(w.state)) throw new AppError("conflict", `${w.name} is ${w.state}; only a wave that has not started is approved.`);
    const updated = await tx.campaignWave.update({ where: { id: w.id }, data: { approvedBy: actor.name, approvedAt: new Date(), stateReason: comment?.trim() ? `Approved by ${actor.name}: ${comment.trim()}` : `Approved by ${actor.name}.` } });
    await appendAuditEvent(tx, { actor, action: "campaign-wave-approved", subjectType: "campaign", subjectId: campaignId, data: { wave: w.name, index: waveIndex, comment: comment ?? null } });
    return updated;
  });
  kickCampaign(db, campaignId);
  return wave;
}

/** Manual advance: the current wave is done and soaked; the next one starts. */
export async function advanceWave(db: Db, actor: Actor, campaignId: string) {
  const c = await withCampaignLock(db, campaignId, async (tx) => {
    const campaign = await load(tx, campaignId);
    if (campaign.state !== "running") throw new AppError("conflict", `The campaign is ${campaign.state}; waves advance in a running campaign${campaign.state === "paused" ? " (resume it first)" : ""}.`);
    const waves = await tx.campaignWave.findMany({ where: { campaignId }, orderBy: { index: "asc" } });
    const current = waves.find((w) => w.index === campaign.currentWave);
    const next = waves.find((w) => w.index === campaign.currentWave + 1);
    if (!current || !next) throw new AppError("conflict", "There is no next wave: the campaign finishes when its last wave is done.");
    if (current.state === "soaking") throw new AppError("precondition-failed", `${current.name} soaks until ${current.soakUntil?.toISOString()}: its targets must stay healthy that long before ${next.name} starts.`);
    if (current.state !== "done") throw new AppError("precondition-failed", `${current.name} is ${current.state}: it must finish and soak before ${next.name} starts.`);
    const updated = await tx.campaign.update({ where: { id: campaignId }, data: { currentWave: next.index, stateReason: null } });
    await appendAuditEvent(tx, { actor, action: "campaign-wave-advanced", subjectType: "campaign", subjectId: campaignId, data: { from: current.name, to: next.name, by: actor.name } });
    return updated;
  });
  kickCampaign(db, campaignId);
  return c;
}

async function startDistributionIfEnabled(db: Db, actor: Actor, campaign: { id: string; distribution: unknown }) {
  if (!DistributionSchema.parse(campaign.distribution).enabled) return;
  try {
    await startCampaignDistribution(db, campaign.id);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    // Targets would wait for their archives forever: say so and hold the campaign.
    await withCampaignLock(db, campaign.id, async (tx) => {
      const paused = await tx.campaign.updateMany({ where: { id: campaign.id, state: "running" }, data: { state: "paused", stateReason: `Paused: the archive copies could not be started (${message}). Fix it, then resume.` } });
      if (paused.count) await appendAuditEvent(tx, { actor, action: "campaign-paused", subjectType: "campaign", subjectId: campaign.id, data: { reason: `distribution could not start: ${message}` } });
    });
    throw new AppError("precondition-failed", `The campaign was launched but paused: the archive copies could not be started (${message}).`);
  }
}

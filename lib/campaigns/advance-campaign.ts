// The campaign driver. A pass takes the campaign's lock, brings started targets up to date with
// their plans, asks the state machine (lib/domain/campaign-state.ts) for the next thing to do and
// does it, until told to wait. Starting targets and soak health checks do network I/O, so they run
// outside the lock and write back by state: any number of passes, in any number of processes,
// may run at once. Called by the reconciler, when a campaign's plan ends, and after control actions.
import type { Db, Tx } from "@/lib/db/client";
import { appendAuditEvent, SYSTEM_ACTOR } from "@/lib/audit/append-audit-event";
import { logger } from "@/lib/log/logger";
import { nextDriverStep, WAITING_TARGET_STATES, type CampaignState, type TargetState, type WaveState } from "@/lib/domain/campaign-state";
import { DistributionSchema, WaveConfigSchema } from "@/lib/campaigns/campaign-input";
import { withCampaignLock } from "@/lib/campaigns/campaign-lock";
import { judgeSoakingTargets } from "@/lib/campaigns/check-target-health";
import { startCampaignTarget } from "@/lib/campaigns/start-target";
import { skipWaitingTargets, startingNow, syncTargets } from "@/lib/campaigns/sync-targets";
import { notify } from "@/lib/notifications/emit-notification";

/** Between the soak's first and last checks, the upgraded targets are looked at this often. */
export const HEALTH_CHECK_EVERY_MS = 30_000;

export interface CampaignPass {
  state: string;
  reason: string | null;
  /** Targets this pass started (their plans are made in the background). */
  started: string[];
}

type Decision =
  /** `approvalNeeded`: a wave just began to wait for an approver (notified after the lock is let go). */
  | { kind: "again"; approvalNeeded?: number }
  | { kind: "start"; ids: string[] }
  | { kind: "health"; wave: number; waveName: string; ids: string[]; final: boolean }
  | { kind: "idle"; state: string; reason: string | null };

const passes = new Map<string, Promise<CampaignPass>>();
const queued = new Map<string, Promise<CampaignPass>>();
const background = new Set<Promise<unknown>>();
const lastHealthCheck = new Map<string, Date>();

/** One pass over the campaign. A call while one runs in this process is folded into a single follow-up pass. */
export function advanceCampaign(db: Db, campaignId: string): Promise<CampaignPass> {
  const waiting = queued.get(campaignId);
  if (waiting) return waiting;
  const running = passes.get(campaignId);
  if (!running) return startPass(db, campaignId);
  const next = running.catch(() => undefined).then(() => {
    queued.delete(campaignId);
    return startPass(db, campaignId);
  });
  queued.set(campaignId, next);
  return next;
}

/** Every campaign that is running or paused, or still has targets whose plans run. */
export async function advanceCampaigns(db: Db): Promise<CampaignPass[]> {
  const campaigns = await db.campaign.findMany({
    where: { OR: [{ state: { in: ["running", "paused"] } }, { targets: { some: { state: { in: ["starting", "running"] } } } }] },
    select: { id: true },
  });
  return Promise.all(campaigns.map((c) => advanceCampaign(db, c.id)));
}

/** Starts a pass without waiting for it (after a plan ends, a target starts, a control action). */
export function kickCampaign(db: Db, campaignId: string): void {
  track(advanceCampaign(db, campaignId).catch((e: unknown) => logger.warn({ err: e, campaignId }, "campaign pass failed")));
}

/** Resolves once this process's campaign passes and target starts are done (tests, shutdown). */
export async function settleCampaignWork(): Promise<void> {
  while (background.size || passes.size) await Promise.allSettled([...background, ...passes.values()]);
}

/** Hook for lib/plans/advance-plan.ts: a campaign's plan ended or paused. */
export async function onCampaignPlanChanged(db: Db, planId: string): Promise<void> {
  const plan = await db.upgradePlan.findUnique({ where: { id: planId }, select: { campaignTargetId: true } });
  if (!plan?.campaignTargetId) return;
  const target = await db.campaignTarget.findUnique({ where: { id: plan.campaignTargetId }, select: { id: true, campaignId: true } });
  if (!target) return;
  await withCampaignLock(db, target.campaignId, (tx) => syncTargets(tx, target.campaignId, [target.id]));
  kickCampaign(db, target.campaignId);
}

function startPass(db: Db, campaignId: string): Promise<CampaignPass> {
  const pass = runPass(db, campaignId).finally(() => passes.delete(campaignId));
  passes.set(campaignId, pass);
  return pass;
}

function track(p: Promise<unknown>): void {
  background.add(p);
  void p.finally(() => background.delete(p));
}

async function runPass(db: Db, campaignId: string): Promise<CampaignPass> {
  const started: string[] = [];
  for (let i = 0; i < 100; i++) {
    const d = await withCampaignLock(db, campaignId, (tx) => decide(tx, campaignId));
    if (d.kind === "again") {
      if (d.approvalNeeded !== undefined) await notify(db, "approval-needed", { kind: "wave", campaignId, wave: d.approvalNeeded });
      continue;
    }
    if (d.kind === "start") {
      for (const id of d.ids) startInBackground(db, campaignId, id);
      started.push(...d.ids);
      continue;
    }
    if (d.kind === "health") {
      await judgeSoakingTargets(db, campaignId, d);
      lastHealthCheck.set(`${campaignId}:${d.wave}`, new Date());
      continue;
    }
    return { state: d.state, reason: d.reason, started };
  }
  throw new Error(`campaign ${campaignId}: the driver did not settle in one pass`);
}

function startInBackground(db: Db, campaignId: string, targetId: string): void {
  startingNow.add(targetId);
  track(startCampaignTarget(db, targetId)
    .catch((e: unknown) => logger.warn({ err: e, campaignId, targetId }, "campaign target start failed"))
    .finally(() => {
      startingNow.delete(targetId);
      kickCampaign(db, campaignId);
    }));
}

async function decide(tx: Tx, campaignId: string): Promise<Decision> {
  await syncTargets(tx, campaignId);
  const c = await tx.campaign.findUniqueOrThrow({ where: { id: campaignId }, include: { waves: { orderBy: { index: "asc" } }, targets: true } });
  if (c.state !== "running" && c.state !== "paused") return { kind: "idle", state: c.state, reason: c.stateReason };
  const config = WaveConfigSchema.parse(c.waveConfig);
  const distribution = DistributionSchema.parse(c.distribution);
  const now = new Date();
  const healthKey = `${campaignId}:${c.currentWave}`;
  const step = nextDriverStep({
    state: c.state as CampaignState, targetVersion: c.targetVersion, currentWave: c.currentWave, now, config, distributionEnabled: distribution.enabled,
    waves: c.waves.map((w) => ({ index: w.index, name: w.name, canary: w.canary, state: w.state as WaveState, approved: w.approvedAt !== null, soakUntil: w.soakUntil })),
    targets: c.targets.map((t) => ({ id: t.id, name: t.name, wave: t.wave, state: t.state as TargetState, reason: t.reason, distributed: t.distributedAt !== null })),
    lastHealthCheckAt: lastHealthCheck.get(healthKey) ?? null, healthCheckEveryMs: Math.min(HEALTH_CHECK_EVERY_MS, Math.max(1_000, (config.soakSeconds * 1000) / 3)),
  });
  const audit = (action: string, data: Record<string, unknown>) => appendAuditEvent(tx, { actor: SYSTEM_ACTOR, action, subjectType: "campaign", subjectId: campaignId, data });
  const waveName = (index: number) => c.waves.find((w) => w.index === index)?.name ?? `wave ${index}`;
  switch (step.kind) {
    case "halt": {
      const halted = await tx.campaign.updateMany({ where: { id: campaignId, state: { in: ["running", "paused"] } }, data: { state: "halted", stateReason: step.reason, finishedAt: now } });
      if (halted.count === 0) return { kind: "again" };
      await tx.campaignWave.updateMany({ where: { campaignId, index: step.wave }, data: { state: "halted", stateReason: step.reason, finishedAt: now } });
      const skipped = await skipWaitingTargets(tx, campaignId, `Not started: the campaign halted. ${step.reason}`);
      await audit("campaign-halted", { wave: waveName(step.wave), reason: step.reason, skipped });
      return { kind: "again" };
    }
    case "wave-state": {
      const data = {
        state: step.to, stateReason: step.reason,
        ...(step.to === "running" ? { startedAt: now } : {}), ...(step.to === "soaking" ? { soakUntil: step.soakUntil } : {}), ...(step.to === "done" ? { finishedAt: now } : {}),
      };
      const moved = await tx.campaignWave.updateMany({ where: { campaignId, index: step.wave, state: step.from }, data });
      if (moved.count) {
        if (step.to === "soaking") lastHealthCheck.delete(healthKey);
        await audit("campaign-wave-state", { wave: waveName(step.wave), from: step.from, to: step.to, reason: step.reason, soakUntil: step.soakUntil ?? null });
        if (step.to === "awaiting-approval") return { kind: "again", approvalNeeded: step.wave };
      }
      return { kind: "again" };
    }
    case "next-wave": {
      const moved = await tx.campaign.updateMany({ where: { id: campaignId, state: "running", currentWave: step.from }, data: { currentWave: step.to, stateReason: null } });
      if (moved.count) await audit("campaign-wave-advanced", { from: waveName(step.from), to: waveName(step.to), by: "auto-advance" });
      return { kind: "again" };
    }
    case "finish": {
      const done = await tx.campaign.updateMany({ where: { id: campaignId, state: "running" }, data: { state: step.state, stateReason: step.reason, finishedAt: now } });
      if (done.count) await audit(`campaign-${step.state}`, { reason: step.reason });
      return { kind: "again" };
    }
    case "start-targets": {
      const claimed: string[] = [];
      for (const id of step.targetIds) {
        const t = c.targets.find((x) => x.id === id)!;
        const ok = await tx.campaignTarget.updateMany({ where: { id, state: { in: [...WAITING_TARGET_STATES] } }, data: { state: "starting", startedAt: now, reason: null } });
        if (ok.count) claimed.push(id);
        if (ok.count) await audit("campaign-target-state", { target: t.name, from: t.state, to: "starting", reason: null });
      }
      return claimed.length ? { kind: "start", ids: claimed } : { kind: "again" };
    }
    case "check-health":
      return { kind: "health", wave: step.wave, waveName: waveName(step.wave), ids: step.targetIds, final: step.final };
    case "wait":
      if (c.state === "running" && c.stateReason !== step.reason) await tx.campaign.updateMany({ where: { id: campaignId, state: "running" }, data: { stateReason: step.reason } });
      return { kind: "idle", state: c.state, reason: c.state === "running" ? step.reason : c.stateReason };
  }
}

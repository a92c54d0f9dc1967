// Read models for the campaign pages: the list, and one campaign with its waves (counts by
// state), every target with its state, reason, method and plan, the failures, the time left and
// the progress of the archive copies. Nothing secret is selected.
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { TARGET_STATES, type CampaignState, type TargetState, type WaveState } from "@/lib/domain/campaign-state";
import { estimateTimeLeft } from "@/lib/domain/campaign-time";
import { DistributionSchema, WaveConfigSchema } from "@/lib/campaigns/campaign-input";

export type CountsByState = Record<TargetState, number>;

function countStates(targets: readonly { state: string }[]): CountsByState {
  return Object.fromEntries(TARGET_STATES.map((s) => [s, targets.filter((t) => t.state === s).length])) as CountsByState;
}

export async function listCampaigns(db: Db) {
  const campaigns = await db.campaign.findMany({
    orderBy: { createdAt: "desc" }, take: 200,
    include: { waves: { select: { index: true, name: true, state: true }, orderBy: { index: "asc" } }, targets: { select: { state: true } } },
  });
  return campaigns.map(({ waves, targets, selection: _s, policy: _p, waveConfig: _w, distribution: _d, ...c }) => ({
    ...c, waveCount: waves.length, currentWaveName: waves.find((w) => w.index === c.currentWave)?.name ?? null,
    targetCount: targets.length, countsByState: countStates(targets),
  }));
}

export async function readCampaign(db: Db, campaignId: string) {
  const campaign = await db.campaign.findUnique({ where: { id: campaignId }, include: { waves: { orderBy: { index: "asc" } }, targets: { orderBy: [{ wave: "asc" }, { name: "asc" }] } } });
  if (!campaign) throw new AppError("not-found", `No campaign ${campaignId}.`);
  const { waves, targets, ...c } = campaign;
  const plans = await db.upgradePlan.findMany({ where: { campaignTargetId: { in: targets.map((t) => t.id) } }, select: { id: true, campaignTargetId: true, state: true, stateReason: true, nodes: true } });
  const clusterSizes = await db.appliance.groupBy({ by: ["clusterId"], where: { clusterId: { in: targets.flatMap((t) => (t.clusterId ? [t.clusterId] : [])) } }, _count: { _all: true } });
  const nodeCount = (t: (typeof targets)[number]) => {
    const plan = plans.find((p) => p.campaignTargetId === t.id);
    const planned = plan ? (plan.nodes as unknown[]).length : 0;
    return planned || (t.clusterId ? clusterSizes.find((s) => s.clusterId === t.clusterId)?._count._all ?? 1 : 1);
  };
  const waveName = new Map(waves.map((w) => [w.index, w.name]));
  const config = WaveConfigSchema.parse(c.waveConfig);
  const distribution = DistributionSchema.parse(c.distribution);
  const rows = targets.map((t) => {
    const plan = plans.find((p) => p.campaignTargetId === t.id);
    return {
      id: t.id, name: t.name, kind: t.kind, clusterId: t.clusterId, applianceId: t.applianceId, site: t.site, fromVersion: t.fromVersion,
      wave: t.wave, waveName: t.wave === null ? null : waveName.get(t.wave) ?? null, method: t.method, state: t.state as TargetState, reason: t.reason,
      planId: t.planId ?? plan?.id ?? null, planState: plan?.state ?? null, planStateReason: plan?.stateReason ?? null,
      nodeCount: nodeCount(t), distributedAt: t.distributedAt, startedAt: t.startedAt, finishedAt: t.finishedAt,
    };
  });
  const timeLeft = estimateTimeLeft({
    now: new Date(), state: c.state as CampaignState, currentWave: c.currentWave, concurrency: config.concurrency, soakSeconds: config.soakSeconds,
    waves: waves.map((w) => ({ index: w.index, state: w.state as WaveState, soakUntil: w.soakUntil })),
    targets: rows.map((t) => ({ wave: t.wave, state: t.state, nodeCount: t.nodeCount, startedAt: t.startedAt, finishedAt: t.finishedAt })),
  });
  const planned = rows.filter((t) => t.wave !== null);
  return {
    campaign: c,
    waves: waves.map((w) => {
      const inWave = rows.filter((t) => t.wave === w.index);
      return { ...w, current: w.index === c.currentWave, targetCount: inWave.length, countsByState: countStates(inWave) };
    }),
    targets: rows,
    countsByState: countStates(rows),
    failures: rows.filter((t) => t.state === "failed" || t.state === "unplannable" || t.state === "aborted").map((t) => ({ targetId: t.id, name: t.name, wave: t.waveName, state: t.state, reason: t.reason })),
    timeLeftSeconds: timeLeft.seconds,
    timeLeftBasis: timeLeft.basis,
    distribution: {
      enabled: distribution.enabled,
      total: planned.length,
      distributed: planned.filter((t) => t.distributedAt !== null).length,
      failed: planned.filter((t) => t.state === "failed" && (t.reason ?? "").startsWith("distribution")).length,
    },
  };
}

// Starting one claimed target, as a person would: make its plan (the prechecks run with it), or
// adopt the plan whose window was approved; stop there if a precheck fails; take and download
// the backup with its key [U4][O5]; launch. Any refusal fails the target with the stage and the
// refusal's own words, and counts for the brake. No database transaction spans this I/O.
import type { Db } from "@/lib/db/client";
import { AppError, isAppError } from "@/lib/errors";
import { logger } from "@/lib/log/logger";
import { needsWindow } from "@/lib/domain/maintenance-window";
import { createPlan } from "@/lib/plans/create-plan";
import { confirmBackup } from "@/lib/plans/confirm-backup";
import { launchPlan } from "@/lib/plans/launch-plan";
import { runPrechecks } from "@/lib/plans/run-prechecks";
import type { PlanMethod } from "@/lib/domain/upgrade-path-types";
import { campaignActor } from "@/lib/campaigns/campaign-actor";
import { withCampaignLock } from "@/lib/campaigns/campaign-lock";
import { setTargetState, syncTargets } from "@/lib/campaigns/sync-targets";
import { findWindowedPlans } from "@/lib/campaigns/windowed-plan";

type Stage = "plan" | "prechecks" | "backup" | "launch";

export async function startCampaignTarget(db: Db, targetId: string): Promise<void> {
  const target = await db.campaignTarget.findUniqueOrThrow({ where: { id: targetId }, include: { campaign: true } });
  const { campaign } = target;
  const actor = campaignActor(campaign);
  let stage: Stage = "plan";
  try {
    const planId = await makeOrAdoptPlan(db, target, campaign);
    if (!planId) return; // the campaign was aborted meanwhile; the target was settled
    stage = "prechecks";
    const failing = await failingPrechecks(db, planId);
    if (failing) throw new AppError("precheck-failed", failing);
    if (!(await stillWanted(db, targetId, planId))) return;
    stage = "backup";
    await confirmBackup(db, actor, planId);
    if (!(await stillWanted(db, targetId, planId))) return;
    stage = "launch";
    await launchPlan(db, actor, planId, { schedule: true });
    await withCampaignLock(db, campaign.id, (tx) => syncTargets(tx, campaign.id, [targetId]));
  } catch (e) {
    const message = isAppError(e) || e instanceof Error ? e.message : String(e);
    logger.warn({ campaign: campaign.name, target: target.name, stage }, message);
    await withCampaignLock(db, campaign.id, async (tx) => {
      const now = await tx.campaignTarget.findUniqueOrThrow({ where: { id: targetId } });
      if (now.state === "starting") await setTargetState(tx, now, "failed", `${stageLabel(stage)}: ${message}`);
    });
  }
}

async function makeOrAdoptPlan(db: Db, target: { id: string; campaignId: string; name: string; kind: string; clusterId: string | null; applianceId: string; method: string | null }, campaign: { targetVersion: string; name: string }): Promise<string | null> {
  const method = (target.method ?? "standalone") as PlanMethod;
  const actor = campaignActor(campaign);
  let planId: string;
  if (needsWindow(method)) {
    const plan = (await findWindowedPlans(db, [target.clusterId ?? ""], campaign.targetVersion)).find((p) => p.method === method);
    if (!plan) throw new AppError("precondition-failed", `No plan of this cluster with an approved, open ${method} window is left to adopt; request a new window, or let the policy prefer online-rolling.`);
    const claimed = await db.upgradePlan.updateMany({ where: { id: plan.id, campaignTargetId: null, state: { in: ["draft", "prechecked", "ready"] } }, data: { campaignTargetId: target.id } });
    if (claimed.count === 0) throw new AppError("conflict", `Plan ${plan.id} was taken or launched meanwhile.`);
    planId = plan.id;
  } else {
    const plan = await createPlan(db, actor, { ...(target.kind === "cluster" ? { clusterId: target.clusterId! } : { applianceId: target.applianceId }), targetVersion: campaign.targetVersion, method });
    await db.upgradePlan.update({ where: { id: plan.id }, data: { campaignTargetId: target.id } });
    planId = plan.id;
  }
  const linked = await withCampaignLock(db, target.campaignId, async (tx) => {
    const updated = await tx.campaignTarget.updateMany({ where: { id: target.id, state: "starting" }, data: { planId } });
    return updated.count === 1;
  });
  if (!linked) return null;
  // An adopted plan's prechecks may be old: take them now, as launch demands fresh ones.
  if (needsWindow(method)) await runPrechecks(db, actor, planId);
  return planId;
}

/** The failing prechecks of the plan, node by node, with their remedies; null when none fails. */
async function failingPrechecks(db: Db, planId: string): Promise<string | null> {
  // The backup's own check is satisfied by the next stage.
  const failing = await db.precheck.findMany({ where: { planId, status: "fail", NOT: { checkId: "backup" } }, orderBy: { takenAt: "asc" } });
  if (failing.length === 0) return null;
  const names = new Map((await db.appliance.findMany({ where: { id: { in: failing.map((p) => p.applianceId) } }, select: { id: true, name: true } })).map((a) => [a.id, a.name]));
  return failing.map((p) => `${names.get(p.applianceId) ?? p.applianceId}: ${p.checkId} failed: ${p.summary}${p.remedy ? ` ${p.remedy}` : ""}`).join(" ");
}

/** False when the campaign was aborted while this target was starting: it is then settled as aborted, its plan left unlaunched. */
async function stillWanted(db: Db, targetId: string, planId: string): Promise<boolean> {
  const target = await db.campaignTarget.findUniqueOrThrow({ where: { id: targetId }, include: { campaign: { select: { state: true, stateReason: true } } } });
  if (target.campaign.state !== "aborted") return true;
  await withCampaignLock(db, target.campaignId, async (tx) => {
    const now = await tx.campaignTarget.findUniqueOrThrow({ where: { id: targetId } });
    if (now.state === "starting") await setTargetState(tx, now, "aborted", `The campaign was aborted before this target launched; its plan ${planId} was left unlaunched, nothing changed on the appliance.`);
  });
  return false;
}

function stageLabel(stage: Stage): string {
  return { plan: "Planning refused", prechecks: "Prechecks failed", backup: "Backup failed", launch: "Launch refused" }[stage];
}

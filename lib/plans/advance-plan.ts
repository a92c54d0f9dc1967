// Moves a running plan forward from what Postgres says: enqueue every step whose dependencies
// are done, finish the plan when all steps are done. Called after each step, at launch, and by
// the reconciler; safe to call any number of times (job ids are deterministic).
import type { Db } from "@/lib/db/client";
import { enqueueStep } from "@/lib/queue/step-queue";
import { appendPlanEvent } from "@/lib/events/plan-events";
import { appendAuditEvent, SYSTEM_ACTOR } from "@/lib/audit/append-audit-event";
import { checkPlanWindow } from "@/lib/windows/windows";
import { windowGatedSteps } from "@/lib/domain/maintenance-window";
import { stepsAllowedWhenStopping } from "@/lib/domain/campaign-stop";
import { campaignStopRequest } from "@/lib/campaigns/stop-request";
import { logger } from "@/lib/log/logger";
import { notify } from "@/lib/notifications/emit-notification";

const DONE = new Set(["succeeded", "skipped"]);
const ADVANCE_STEP_FIELDS = { id: true, key: true, kind: true, state: true, dependsOn: true, attempts: true, applianceId: true, hop: true } as const;

export async function advancePlan(db: Db, planId: string): Promise<void> {
  // Only what the decision needs: a step's output tail alone can be 64 KiB, and this runs after every step.
  const plan = await db.upgradePlan.findUniqueOrThrow({ where: { id: planId }, include: { steps: { select: ADVANCE_STEP_FIELDS } } });
  if (plan.state === "aborted" && !plan.steps.some((s) => s.state === "running")) {
    await db.applianceLock.deleteMany({ where: { planId } }); // the last running step of an aborted plan ended
  }
  if (plan.state !== "running") return;
  const stateByKey = new Map(plan.steps.map((s) => [s.key, s.state]));
  if (plan.steps.every((s) => DONE.has(s.state))) {
    await finishPlan(db, planId, "succeeded", null);
    return;
  }
  const failed = plan.steps.find((s) => s.state === "failed");
  if (failed) return; // the failing step already set the plan's state
  let runnable = plan.steps.filter((s) => s.state === "pending" && s.dependsOn.every((k) => DONE.has(stateByKey.get(k) ?? "")));
  const stop = plan.campaignTargetId ? await campaignStopRequest(db, plan.campaignTargetId) : null;
  // An operator's "Pause after this node" stops the same way as an aborted campaign.
  if (stop || plan.pauseAfterNode) {
    // Stop after the current node: it is finished safely; no step of an untouched node starts.
    const rule = stepsAllowedWhenStopping(plan.method, plan.steps);
    runnable = runnable.filter((s) => rule.allowed.has(s.key));
    const busy = plan.steps.some((s) => s.state === "running" || (s.state === "waiting" && rule.allowed.has(s.key)));
    if (runnable.length === 0 && !busy) {
      const names = nodeNames(plan);
      const finished = new Set(plan.steps.filter((s) => s.applianceId && s.kind === "postcheck" && DONE.has(s.state)).map((s) => s.applianceId!));
      const why = stop ? `Stopped after the current node: ${stop}.` : "Paused after the current node, as an operator asked.";
      await pausePlan(db, planId, `${why} Upgraded: ${names(finished)}. Not touched: ${names(new Set(rule.untouched))}. Resume the plan to go on, or abort it.`);
      return;
    }
  }
  const window = await checkPlanWindow(db, planId);
  if (!window.ok) {
    // Outside the window nothing gated starts; offline in-place may still prepare [M2][F6].
    const gated = windowGatedSteps(plan.method, plan.steps);
    runnable = runnable.filter((s) => !gated.has(s.key));
    // A person answering an ungated confirmation (the node list [F11]) keeps the prepare phase going.
    const busy = plan.steps.some((s) => s.state === "running" || (s.state === "waiting" && !gated.has(s.key)));
    if (runnable.length === 0 && !busy) {
      const prepared = plan.steps.some((s) => gated.has(s.key)) && plan.steps.filter((s) => !gated.has(s.key)).every((s) => DONE.has(s.state));
      const reason = prepared
        ? `Prepared: the archive is on ${preparedNodes(plan)} and checked. The upgrade phase starts when the approved window opens. ${window.message}`
        : window.message;
      await pausePlan(db, planId, reason, prepared && window.code !== "closed" && window.code !== "pins-changed");
      return;
    }
  }
  for (const s of runnable) await enqueueStep({ planId, stepId: s.id, attempt: s.attempts });
}

export async function finishPlan(db: Db, planId: string, state: "succeeded" | "failed" | "aborted", reason: string | null): Promise<void> {
  // A failed plan keeps its appliance locks: it is resumable, and nothing else may touch the appliances
  // meanwhile. Otherwise the locks go in the same transaction as the final state, so no one sees one without the other.
  const finished = await db.$transaction(async (tx) => {
    const updated = await tx.upgradePlan.updateMany({ where: { id: planId, state: { in: ["running", "paused", "failed"] } }, data: { state, stateReason: reason, finishedAt: state === "failed" ? null : new Date() } });
    if (updated.count === 0) return false;
    if (state !== "failed") await tx.applianceLock.deleteMany({ where: { planId } });
    if (state === "succeeded") {
      const plan = await tx.upgradePlan.findUniqueOrThrow({ where: { id: planId }, select: { applianceId: true, targetVersion: true } });
      await tx.appliance.updateMany({ where: { id: plan.applianceId }, data: { version: plan.targetVersion } });
    }
    await appendAuditEvent(tx, { actor: SYSTEM_ACTOR, action: `plan-${state}`, subjectType: "plan", subjectId: planId, data: { reason } });
    return true;
  });
  if (!finished) return;
  const seq = await appendPlanEvent(db, planId, { type: "plan-state", data: { state, reason } });
  // The event's number tells this end from a later one (a failed plan resumed may end again).
  await notify(db, "plan-finished", { kind: "plan", planId, occurrence: `${state}:${seq}`, reason });
  await notifyCampaign(db, planId);
}

/** `resumeAtWindow`: the reconciler puts the plan back to running when its window opens. */
export async function pausePlan(db: Db, planId: string, reason: string, resumeAtWindow = false): Promise<void> {
  const paused = await db.$transaction(async (tx) => {
    const updated = await tx.upgradePlan.updateMany({ where: { id: planId, state: "running" }, data: { state: "paused", stateReason: reason, scheduled: resumeAtWindow } });
    if (updated.count > 0) await appendAuditEvent(tx, { actor: SYSTEM_ACTOR, action: "plan-paused", subjectType: "plan", subjectId: planId, data: { reason } });
    return updated.count > 0;
  });
  if (!paused) return;
  await appendPlanEvent(db, planId, { type: "plan-state", data: { state: "paused", reason } });
  await notifyCampaign(db, planId);
}

/** A campaign's plan ended or paused: its target follows (imported late: the driver imports this file). */
async function notifyCampaign(db: Db, planId: string): Promise<void> {
  try {
    const row = await db.upgradePlan.findUnique({ where: { id: planId }, select: { campaignTargetId: true } });
    if (!row?.campaignTargetId) return;
    const { onCampaignPlanChanged } = await import("@/lib/campaigns/advance-campaign");
    await onCampaignPlanChanged(db, planId);
  } catch (e) {
    // The campaign's reconciler pass catches up; the plan's own end stands.
    logger.warn({ err: e, planId }, "campaign not told of its plan's end");
  }
}

/** The names of some of the plan's nodes, in the order the plan takes them. */
function nodeNames(plan: { nodes: unknown }): (ids: Set<string>) => string {
  const nodes = plan.nodes as { applianceId: string; name: string }[];
  return (ids) => nodes.filter((n) => ids.has(n.applianceId)).map((n) => n.name).join(", ") || "none";
}

function preparedNodes(plan: { nodes: unknown; steps: { kind: string; state: string; applianceId: string | null }[] }): string {
  const names = new Map((plan.nodes as { applianceId: string; name: string }[]).map((n) => [n.applianceId, n.name]));
  const done = new Set(plan.steps.filter((s) => s.kind === "verify-upload" && DONE.has(s.state) && s.applianceId).map((s) => s.applianceId!));
  // In the order the person confirmed the nodes, not the order the uploads finished.
  return [...names.keys()].filter((id) => done.has(id)).map((id) => names.get(id)!).join(", ") || "every node";
}

// Launch: every safety rule checked again at the moment it matters, then the appliance is locked
// to this plan (one active plan per appliance) and the first steps are enqueued.
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { appendAuditEvent, type Actor } from "@/lib/audit/append-audit-event";
import { appendPlanEvent } from "@/lib/events/plan-events";
import { computeReadiness } from "@/lib/plans/plan-readiness";
import { advancePlan } from "@/lib/plans/advance-plan";
import { Prisma } from "@/lib/generated/prisma/client";
import { checkPlanWindow } from "@/lib/windows/windows";
import { assertTrusted } from "@/lib/fleet/trust";
import { canPrepareBeforeWindow } from "@/lib/domain/maintenance-window";
import { notify } from "@/lib/notifications/emit-notification";
import { undeployableReason } from "@/lib/archives/deployable";

/** POST /api/plans/[id]/launch: `schedule` asks to start when the window opens instead of refusing. */
export const LaunchPlanSchema = z.object({ schedule: z.boolean().default(false) });

export async function launchPlan(db: Db, actor: Actor, planId: string, opts: { schedule?: boolean } = {}) {
  const plan = await db.upgradePlan.findUniqueOrThrow({ where: { id: planId } });
  if (plan.state === "running") throw new AppError("conflict", "The plan is already running.");
  if (!["ready", "prechecked", "draft"].includes(plan.state)) throw new AppError("conflict", `A ${plan.state} plan cannot be launched; create a new plan.`);
  await assertTrusted(db, [plan.applianceId, ...(plan.nodes as { applianceId: string }[]).map((n) => n.applianceId)]);
  const hops = plan.hops as { archiveId: string }[];
  const archives = await db.archive.findMany({ where: { id: { in: hops.map((h) => h.archiveId) } } });
  // A plan made before the rule may hold a detached-signature archive the appliance would refuse:
  // said first, whatever its recorded prechecks say.
  const undeployable = archives.filter((a) => a.status === "verified").map(undeployableReason).filter((r) => r !== null);
  if (undeployable.length) throw new AppError("precondition-failed", `Not launched: ${undeployable.join(" ")} Then create a new plan.`);
  const readiness = await computeReadiness(db, planId);
  if (readiness.state !== "ready") throw new AppError("precondition-failed", `Not launched: ${readiness.reasons.join(" ")}`);
  const window = await checkPlanWindow(db, planId);
  // Offline in-place prepares (checks, uploads) before its window; the rest waits for the window.
  if (!window.ok && !canPrepareBeforeWindow(plan.method)) {
    if (window.code === "not-open-yet" && opts.schedule) {
      await db.$transaction(async (tx) => {
        await tx.upgradePlan.update({ where: { id: planId }, data: { scheduled: true, stateReason: window.message } });
        await appendAuditEvent(tx, { actor, action: "plan-scheduled", subjectType: "plan", subjectId: planId, data: { message: window.message } });
      });
      await appendPlanEvent(db, planId, { type: "plan-state", data: { state: plan.state, scheduled: true, by: actor.name } });
      return;
    }
    throw new AppError("precondition-failed", `Not launched: ${window.message}`);
  }
  const unverified = archives.filter((a) => a.status !== "verified");
  if (unverified.length || archives.length !== new Set(hops.map((h) => h.archiveId)).size) {
    throw new AppError("precondition-failed", `Not launched: archive ${unverified.map((a) => a.fileName).join(", ") || "(missing)"} has no verified signature.`);
  }
  const nodeIds = [...new Set([plan.applianceId, ...(plan.nodes as { applianceId: string }[]).map((n) => n.applianceId)])];
  try {
    await db.$transaction(async (tx) => {
      // One active plan per appliance, and so per cluster: every node is locked together or none is.
      await tx.applianceLock.createMany({ data: nodeIds.map((applianceId) => ({ applianceId, planId })) });
      await tx.upgradePlan.update({ where: { id: planId }, data: { state: "running", stateReason: null, scheduled: false, launchedBy: actor.name, launchedAt: new Date() } });
      await appendAuditEvent(tx, { actor, action: "plan-launched", subjectType: "plan", subjectId: planId, data: { targetVersion: plan.targetVersion } });
    });
  } catch (e) {
    if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === "P2002") {
      const lock = await db.applianceLock.findFirst({ where: { applianceId: { in: nodeIds } } });
      throw new AppError("conflict", `Another plan (${lock?.planId}) is active on ${nodeIds.length > 1 ? "a node of this cluster" : "this appliance"}; finish or abort it first.`);
    }
    throw e;
  }
  await appendPlanEvent(db, planId, { type: "plan-state", data: { state: "running", by: actor.name } });
  await notify(db, "plan-started", { kind: "plan", planId });
  await advancePlan(db, planId);
}

// Take the prechecks of the vendor procedure for a plan's next hop, store each with its evidence,
// and derive the plan's readiness. A failed precheck blocks the plan with its reason.
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { appendAuditEvent, type Actor } from "@/lib/audit/append-audit-event";
import { appendPlanEvent, appendPlanEvents } from "@/lib/events/plan-events";
import type { Precheck } from "@/lib/domain/prechecks";
import { evaluatePlanPrechecks } from "@/lib/plans/evaluate-prechecks";

import { refreshPlanReadiness } from "@/lib/plans/plan-readiness";

export async function runPrechecks(db: Db, actor: Actor, planId: string): Promise<Precheck[]> {
  const plan = await db.upgradePlan.findUniqueOrThrow({ where: { id: planId } });
  if (!["draft", "prechecked", "ready"].includes(plan.state)) throw new AppError("conflict", `The plan is ${plan.state}; prechecks are taken before launch.`);
  // Each node's observation is announced as it starts and ends, so a cluster's prechecks show progress.
  const prechecks = await evaluatePlanPrechecks(db, planId, (updates) =>
    appendPlanEvents(db, planId, updates.map((u) => ({ type: "precheck", data: { phase: "node", ...u } }))).then(() => undefined));
  const takenAt = new Date();
  await db.$transaction(async (tx) => {
    await tx.precheck.deleteMany({ where: { planId } });
    await tx.precheck.createMany({ data: prechecks.map((p) => ({ planId, applianceId: p.applianceId ?? plan.applianceId, checkId: p.id, status: p.status, summary: p.summary, evidence: p.evidence, remedy: p.remedy ?? null, ruleIds: p.ruleIds, takenAt })) });
    await tx.upgradePlan.update({ where: { id: planId }, data: { prechecksAt: takenAt } });
    await appendAuditEvent(tx, { actor, action: "prechecks-taken", subjectType: "plan", subjectId: planId, data: { failed: prechecks.filter((p) => p.status === "fail").map((p) => p.id) } });
  });
  await appendPlanEvent(db, planId, { type: "precheck", data: { takenAt, results: prechecks.map((p) => ({ id: p.id, status: p.status })) } });
  await refreshPlanReadiness(db, planId);
  return prechecks;
}

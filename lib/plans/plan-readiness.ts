// A plan is `ready` when its prechecks passed recently and every node it touches has a backup
// confirmation; `prechecked` when only the backup is missing; `draft` otherwise. Derived, never set by hand.
import type { Db } from "@/lib/db/client";
import { getConfig } from "@/lib/config";
import { appendPlanEvent } from "@/lib/events/plan-events";

export interface Readiness {
  state: "draft" | "prechecked" | "ready";
  reasons: string[];
}

export async function computeReadiness(db: Db, planId: string): Promise<Readiness> {
  const plan = await db.upgradePlan.findUniqueOrThrow({ where: { id: planId }, include: { prechecks: true, backups: true } });
  const reasons: string[] = [];
  // The backup has its own gate below; its precheck row explains it to the person.
  const failing = plan.prechecks.filter((p) => p.status === "fail" && p.checkId !== "backup");
  if (!plan.prechecksAt) reasons.push("Prechecks have not been run.");
  else if (failing.length) reasons.push(...failing.map((p) => `Precheck failed: ${p.summary}${p.remedy ? ` ${p.remedy}` : ""}`));
  else if (Date.now() - plan.prechecksAt.getTime() > getConfig().precheckMaxAgeMinutes * 60_000) {
    reasons.push(`Prechecks are older than ${getConfig().precheckMaxAgeMinutes} minutes: run them again.`);
  }
  const prechecksOk = reasons.length === 0;
  if (!plan.backups.some((b) => b.applianceId === plan.applianceId)) reasons.push("No backup is confirmed: create and download a backup with its key first [U4].");
  return { state: reasons.length === 0 ? "ready" : prechecksOk ? "prechecked" : "draft", reasons };
}

export async function refreshPlanReadiness(db: Db, planId: string): Promise<Readiness> {
  const readiness = await computeReadiness(db, planId);
  const updated = await db.upgradePlan.updateMany({ where: { id: planId, state: { in: ["draft", "prechecked", "ready"] }, NOT: { state: readiness.state } }, data: { state: readiness.state, stateReason: readiness.reasons[0] ?? null } });
  if (updated.count) await appendPlanEvent(db, planId, { type: "plan-state", data: { state: readiness.state, reason: readiness.reasons[0] ?? null } });
  return readiness;
}

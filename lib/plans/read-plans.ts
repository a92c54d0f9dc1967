// Read models for the plan room and the history. Nothing secret is selected.
import type { Db } from "@/lib/db/client";
import { computeReadiness } from "@/lib/plans/plan-readiness";
import { needsWindow } from "@/lib/domain/maintenance-window";

export async function getPlan(db: Db, planId: string) {
  const plan = await db.upgradePlan.findUniqueOrThrow({
    where: { id: planId },
    include: {
      appliance: { select: { id: true, name: true, host: true, version: true, model: true, status: true } },
      steps: { orderBy: { position: "asc" }, omit: { output: false } },
      prechecks: { orderBy: { takenAt: "asc" } },
      backups: { omit: { attestation: true, backupPath: true, keyPath: true }, orderBy: { confirmedAt: "asc" } },
      window: true,
    },
  });
  const readiness = ["draft", "prechecked", "ready"].includes(plan.state) ? await computeReadiness(db, planId) : null;
  return { ...plan, readiness, needsWindow: needsWindow(plan.method) };
}

export async function listPlans(db: Db, filter: { applianceId?: string } = {}) {
  return db.upgradePlan.findMany({
    where: filter.applianceId ? { applianceId: filter.applianceId } : {},
    orderBy: { createdAt: "desc" },
    take: 200,
    include: {
      appliance: { select: { id: true, name: true } },
      steps: { select: { key: true, state: true, title: true, startedAt: true, finishedAt: true, outcome: true }, orderBy: { position: "asc" } },
    },
  });
}

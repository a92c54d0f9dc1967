// Take the prechecks of the vendor procedure for a plan's next hop, store each with its evidence,
// and derive the plan's readiness. A failed precheck blocks the plan with its reason.
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { appendAuditEvent, type Actor } from "@/lib/audit/append-audit-event";
import { appendPlanEvent } from "@/lib/events/plan-events";
import { evaluateStandalonePrechecks, type Precheck } from "@/lib/domain/prechecks";
import { compareVersions, parseVersion } from "@/lib/domain/version";
import { observeAppliance } from "@/lib/fleet/observe-appliance";
import { loadReleaseCatalog } from "@/lib/plans/release-catalog";
import { refreshPlanReadiness } from "@/lib/plans/plan-readiness";

interface StoredHop { hop: number; version: string; archiveId: string; fileName: string; sizeBytes: number }

export async function evaluatePlanPrechecks(db: Db, planId: string): Promise<Precheck[]> {
  const plan = await db.upgradePlan.findUniqueOrThrow({ where: { id: planId }, include: { backups: true } });
  const hops = plan.hops as unknown as StoredHop[];
  const obsFirst = await observeAppliance(db, plan.applianceId, hops.map((h) => `/home/ksadmin/${h.fileName}`));
  // The next hop is the first whose version the appliance does not run yet.
  const current = obsFirst.version;
  const next = hops.find((h) => !current || compareVersions(parseVersion(h.version)!, current) > 0) ?? hops[hops.length - 1]!;
  const archive = await db.archive.findUniqueOrThrow({ where: { id: next.archiveId } });
  const backup = plan.backups.find((b) => b.applianceId === plan.applianceId);
  return evaluateStandalonePrechecks({
    catalog: await loadReleaseCatalog(db),
    appliance: { id: plan.applianceId, version: obsFirst.version, model: obsFirst.model, clustered: obsFirst.clustered },
    target: parseVersion(plan.targetVersion)!,
    disk: obsFirst.disk,
    service: obsFirst.service,
    rest: obsFirst.rest,
    archive: {
      version: parseVersion(archive.version ?? next.version)!, sizeBytes: Number(archive.sizeBytes), signatureVerified: archive.status === "verified",
      reason: archive.refusalReason ?? undefined, onAppliance: obsFirst.fileSizes[`/home/ksadmin/${next.fileName}`] === Number(archive.sizeBytes),
    },
    backup: backup ? { kind: backup.kind as "downloaded" | "attested", backupDownloaded: Boolean(backup.backupSha256), keyDownloaded: Boolean(backup.keySha256), applianceVersion: backup.applianceVersion ? parseVersion(backup.applianceVersion) : null, by: backup.confirmedBy } : undefined,
    override: plan.overrideReason ? { reason: plan.overrideReason, by: plan.createdBy } : undefined,
  });
}

export async function runPrechecks(db: Db, actor: Actor, planId: string): Promise<Precheck[]> {
  const plan = await db.upgradePlan.findUniqueOrThrow({ where: { id: planId } });
  if (!["draft", "prechecked", "ready"].includes(plan.state)) throw new AppError("conflict", `The plan is ${plan.state}; prechecks are taken before launch.`);
  const prechecks = await evaluatePlanPrechecks(db, planId);
  const takenAt = new Date();
  await db.$transaction([
    db.precheck.deleteMany({ where: { planId } }),
    db.precheck.createMany({ data: prechecks.map((p) => ({ planId, applianceId: p.applianceId ?? plan.applianceId, checkId: p.id, status: p.status, summary: p.summary, evidence: p.evidence, remedy: p.remedy ?? null, ruleIds: p.ruleIds, takenAt })) }),
    db.upgradePlan.update({ where: { id: planId }, data: { prechecksAt: takenAt } }),
  ]);
  await appendPlanEvent(db, planId, { type: "precheck", data: { takenAt, results: prechecks.map((p) => ({ id: p.id, status: p.status })) } });
  await appendAuditEvent(db, { actor, action: "prechecks-taken", subjectType: "plan", subjectId: planId, data: { failed: prechecks.filter((p) => p.status === "fail").map((p) => p.id) } });
  await refreshPlanReadiness(db, planId);
  return prechecks;
}

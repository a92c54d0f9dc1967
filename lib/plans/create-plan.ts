// Create an upgrade plan for one unclustered appliance: the path from the release catalog, a
// verified archive for every hop, the compiled steps; then the prechecks are taken at once.
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { appendAuditEvent, type Actor } from "@/lib/audit/append-audit-event";
import { computeUpgradePath } from "@/lib/domain/upgrade-path";
import { findArchivesForPath } from "@/lib/domain/path-archives";
import { compilePlan } from "@/lib/domain/plan-compiler";
import { uploadDeadlineSeconds } from "@/lib/domain/plan-step";
import { formatVersion, parseVersion } from "@/lib/domain/version";
import { loadReleaseCatalog } from "@/lib/plans/release-catalog";
import { runPrechecks } from "@/lib/plans/run-prechecks";

export const CreatePlanSchema = z.object({
  applianceId: z.string().uuid(),
  targetVersion: z.string().refine((v) => parseVersion(v) !== null, "targetVersion must look like 2.11.0 or 2.11.0+12345"),
  overrideReason: z.string().trim().max(2000).optional(),
});
export type CreatePlanInput = z.infer<typeof CreatePlanSchema>;

export async function createPlan(db: Db, actor: Actor, input: CreatePlanInput) {
  const appliance = await db.appliance.findUniqueOrThrow({ where: { id: input.applianceId } });
  const from = appliance.version ? parseVersion(appliance.version) : null;
  if (!from) throw new AppError("precondition-failed", `The version of ${appliance.name} is not known: refresh it (the console reads it over REST) before planning.`);
  const to = parseVersion(input.targetVersion)!;
  const catalog = await loadReleaseCatalog(db);
  const override = Boolean(input.overrideReason);
  if (override && actor.type === "user") {
    const user = await db.user.findUnique({ where: { id: actor.id ?? "" } });
    if (user?.role !== "admin") throw new AppError("forbidden", "Only an admin may override an untested upgrade path [U2].");
  }
  const path = computeUpgradePath(catalog, from, to, "standalone", { override });
  if (!path.ok) throw new AppError("precondition-failed", path.message, { code: path.code });
  const archives = await db.archive.findMany({ where: { status: "verified", kind: "upgrade" } });
  const candidates = archives.flatMap((a) => {
    const version = a.version ? parseVersion(a.version) : null;
    return version ? [{ ...a, version, versionText: a.version!, verified: true }] : [];
  });
  const match = findArchivesForPath(path, candidates);
  if (!match.ok) throw new AppError("precondition-failed", `${match.message} Upload the missing archive(s) on the Archives page first.`, { missing: match.missing.map((m) => m.message) });
  const hops = match.assignments.map(({ hop, archive }) => ({
    hop: hop.index, version: archive.versionText, archiveId: archive.id, fileName: archive.fileName,
    sha256: archive.sha256!, sizeBytes: Number(archive.sizeBytes), forceFlag: hop.forceFlag, direction: hop.direction, tested: hop.tested,
  }));
  const compiled = compilePlan({
    method: "standalone",
    nodes: [{ applianceId: appliance.id, label: appliance.name }],
    hops: hops.map((h) => ({ archiveVersion: h.version, archiveSizeBytes: h.sizeBytes, forceFlag: h.forceFlag })),
  });
  if (!compiled.ok) throw new AppError("internal", `The plan could not be compiled: ${compiled.message}`);
  const plan = await db.upgradePlan.create({
    data: {
      method: "standalone", applianceId: appliance.id, fromVersion: appliance.version!, targetVersion: formatVersion(to),
      hops, state: "draft", overrideReason: input.overrideReason ?? null, createdBy: actor.name,
      steps: {
        create: compiled.steps.map((s, position) => ({
          key: s.key, position, kind: s.kind, title: s.title, applianceId: s.applianceId ?? null, hop: s.hop ?? 0, dependsOn: s.dependsOn,
          deadlineSeconds: s.kind === "upload-archive" ? uploadDeadlineSeconds(s.archiveSizeBytes ?? 0, s.deadlineSeconds) : s.deadlineSeconds,
        })),
      },
    },
  });
  await appendAuditEvent(db, { actor, action: "plan-created", subjectType: "plan", subjectId: plan.id, data: { appliance: appliance.name, from: appliance.version, to: plan.targetVersion, hops: hops.map((h) => h.version), override: input.overrideReason ?? null } });
  await runPrechecks(db, actor, plan.id);
  return plan;
}

// Create an upgrade plan: the path from the release catalog for the chosen method, a verified
// archive for every hop, the compiled steps; then the prechecks are taken at once.
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { appendAuditEvent, type Actor } from "@/lib/audit/append-audit-event";
import { computeUpgradePath } from "@/lib/domain/upgrade-path";
import { findArchivesForPath } from "@/lib/domain/path-archives";
import { compilePlan } from "@/lib/domain/plan-compiler";
import { PLAN_METHODS } from "@/lib/domain/upgrade-path-types";
import { compareVersions, formatVersion, parseVersion, type Version } from "@/lib/domain/version";
import { loadReleaseCatalog } from "@/lib/plans/release-catalog";
import { runPrechecks } from "@/lib/plans/run-prechecks";
import { stepRows } from "@/lib/plans/step-rows";
import { CLUSTER_METHODS, defaultMethod, resolvePlanTargets } from "@/lib/plans/plan-targets";
import { archiveCandidateFlags } from "@/lib/archives/deployable";

export const CreatePlanSchema = z.object({
  applianceId: z.string().uuid().optional(),
  clusterId: z.string().uuid().optional(),
  method: z.enum(PLAN_METHODS).optional(),
  targetVersion: z.string().refine((v) => parseVersion(v) !== null, "targetVersion must look like 2.11.0 or 2.11.0+12345"),
  overrideReason: z.string().trim().max(2000).optional(),
  acknowledgement: z.string().trim().max(500).optional(),
});
export type CreatePlanInput = z.infer<typeof CreatePlanSchema>;

async function requireAdmin(db: Db, actor: Actor, what: string) {
  if (actor.type !== "user") return;
  const user = await db.user.findUnique({ where: { id: actor.id ?? "" } });
  if (user?.role !== "admin") throw new AppError("forbidden", `Only an admin may ${what}.`);
}

export async function createPlan(db: Db, actor: Actor, input: CreatePlanInput) {
  const targets = await resolvePlanTargets(db, input);
  const method = input.method ?? defaultMethod(targets);
  const unknown = targets.nodes.find((n) => !n.version || !parseVersion(n.version));
  if (unknown) throw new AppError("precondition-failed", `The version of ${unknown.name} is not known: refresh it (the console reads it over REST) before planning.`);
  const versions = targets.nodes.map((n) => parseVersion(n.version!)!);
  const from = [...versions].sort(compareVersions)[0]!;
  const to = parseVersion(input.targetVersion)!;
  if (CLUSTER_METHODS.includes(method) && !targets.clustered) throw new AppError("bad-input", `${method} is a cluster method; ${targets.entry.name} is not clustered. Use the standalone method.`);
  if (method === "standalone" && targets.clustered) throw new AppError("bad-input", `${targets.entry.name} is in a cluster: choose online in-place, offline in-place or remove/rebuild [M1][M2][M3].`);
  if (method === "downgrade") await checkDowngradeAcknowledgement(db, actor, input, targets.clustered, targets.entry.name);
  if (input.overrideReason) await requireAdmin(db, actor, "override an untested upgrade path [U2]");
  const catalog = await loadReleaseCatalog(db);
  const override = Boolean(input.overrideReason);
  const path = computeUpgradePath(catalog, from, to, method, { override, clustered: targets.clustered });
  if (!path.ok) throw new AppError("precondition-failed", path.message, { code: path.code });
  const hops = await assignArchives(db, path, method);
  const compiled = compilePlan({
    method,
    nodes: targets.nodes.map((n) => ({ applianceId: n.id, label: n.name })),
    hops: hops.map((h) => ({ archiveVersion: h.version, archiveSizeBytes: h.sizeBytes, forceFlag: h.forceFlag })),
  });
  if (!compiled.ok) throw new AppError("precondition-failed", `The plan could not be compiled: ${compiled.message}`);
  const plan = await db.$transaction(async (tx) => {
    const created = await tx.upgradePlan.create({
    data: {
      method, applianceId: targets.entry.id, clusterId: targets.clusterId, targetVersion: formatVersion(to), fromVersion: formatVersion(from),
      nodes: targets.nodes.map((n) => ({ applianceId: n.id, name: n.name, fromVersion: n.version })),
      hops, state: "draft", overrideReason: input.overrideReason ?? null, acknowledgement: input.acknowledgement ?? null, createdBy: actor.name,
      steps: { create: stepRows(compiled.steps) },
    },
    });
    await appendAuditEvent(tx, { actor, action: "plan-created", subjectType: "plan", subjectId: created.id, data: { method, nodes: targets.nodes.map((n) => n.name), from: created.fromVersion, to: created.targetVersion, hops: hops.map((h) => h.version), override: input.overrideReason ?? null } });
    return created;
  });
  await runPrechecks(db, actor, plan.id);
  return plan;
}

/** [D1][D3][D5] A downgrade wipes the appliance; a clustered one needs an admin and typed words. */
async function checkDowngradeAcknowledgement(db: Db, actor: Actor, input: CreatePlanInput, clustered: boolean, name: string) {
  if (clustered) {
    await requireAdmin(db, actor, "downgrade a clustered node [D1]");
    if (!input.overrideReason) throw new AppError("precondition-failed", `${name} is clustered: ks_downgrade.sh refuses it unless overridden [D1]. An admin must give a reason to override.`);
  }
  const expected = `DOWNGRADE ${name}`;
  if (input.acknowledgement !== expected) {
    throw new AppError("precondition-failed", `A downgrade resets ${name}: it wipes all data except existing backup files [D3], and a downgraded system is for test environments only, never production [D5]. To go on, type exactly: ${expected}. For production, use backup, factory reset, upgrade and restore instead [D6].`);
  }
}

/** The verified archive for every hop of a path (campaign distribution copies the same ones ahead). */
export async function assignArchives(db: Db, path: Extract<ReturnType<typeof computeUpgradePath>, { ok: true }>, method: string) {
  // Refused and detached-signature archives are candidates that never serve a hop, so the refusal
  // names the signature [U1][F8] or the signed .tar.gz.gpg to upload instead (archives/deployable.ts).
  const archives = await db.archive.findMany({ where: { status: { in: ["verified", "refused"] }, ...(method === "downgrade" ? {} : { kind: "upgrade" }) } });
  const candidates = archives.flatMap((a) => {
    const version: Version | null = a.version ? parseVersion(a.version) : null;
    return version ? [{ ...a, version, versionText: a.version!, ...archiveCandidateFlags(a) }] : [];
  });
  const match = findArchivesForPath(path, candidates);
  if (!match.ok) throw new AppError("precondition-failed", `${match.message} Upload the missing archive(s) on the Archives page first.`, { missing: match.missing.map((m) => m.message) });
  return match.assignments.map(({ hop, archive }) => ({
    hop: hop.index, version: archive.versionText, archiveId: archive.id, fileName: archive.fileName,
    sha256: archive.sha256!, sizeBytes: Number(archive.sizeBytes), forceFlag: hop.forceFlag, direction: hop.direction, tested: hop.tested,
  }));
}

// [D6] The production way back as a guided plan: backup, factory reset, upgrade to the desired
// version, restore a backup made on that version or older [U5]. The person names the backup and
// types the words that acknowledge the reset; the plan asks once more before the reset itself.
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { appendAuditEvent, type Actor } from "@/lib/audit/append-audit-event";
import { compileRestorePrevious } from "@/lib/domain/compile-restore-previous";
import { compareVersions, formatVersion, parseVersion, sameVersion } from "@/lib/domain/version";
import { runPrechecks } from "@/lib/plans/run-prechecks";
import { stepRows } from "@/lib/plans/step-rows";
import { deployableArchive } from "@/lib/archives/deployable";

export const RESTORE_METHOD = "restore-previous";

export const CreateRestorePlanSchema = z.object({
  applianceId: z.string().uuid(),
  targetVersion: z.string().refine((v) => parseVersion(v) !== null, "targetVersion must look like 2.10.0+12807"),
  backupConfirmationId: z.string().uuid(),
  acknowledgement: z.string().trim().max(200),
});

export async function createRestorePlan(db: Db, actor: Actor, input: z.infer<typeof CreateRestorePlanSchema>) {
  const appliance = await db.appliance.findUniqueOrThrow({ where: { id: input.applianceId } });
  if (appliance.clusterId) throw new AppError("precondition-failed", `${appliance.name} is in a cluster: the way back with a factory reset is for an unclustered appliance. Rebuild the cluster with remove/rebuild instead.`);
  const expected = `RESET ${appliance.name}`;
  if (input.acknowledgement !== expected) throw new AppError("precondition-failed", `A factory reset wipes all data on ${appliance.name} before the backup is restored [D6]. To go on, type exactly: ${expected}`);
  const to = parseVersion(input.targetVersion)!;
  const backup = await db.backupConfirmation.findUniqueOrThrow({ where: { id: input.backupConfirmationId } });
  if (backup.applianceId !== appliance.id) throw new AppError("bad-input", "backupConfirmationId: that backup was not made on this appliance.");
  const madeOn = backup.applianceVersion ? parseVersion(backup.applianceVersion) : null;
  if (!madeOn || compareVersions(madeOn, to) > 0) {
    throw new AppError("precondition-failed", `Backup ${backup.remoteBackupId} was made on ${backup.applianceVersion ?? "an unknown version"}; restoring a newer backup onto ${formatVersion(to)} is never supported [U5]. Choose a backup made on ${formatVersion(to)} or older.`);
  }
  const archive = await chooseRestoreArchive(db, to);
  const hop = { hop: 1, version: archive.version!, archiveId: archive.id, fileName: archive.fileName, sha256: archive.sha256!, sizeBytes: Number(archive.sizeBytes), forceFlag: false, direction: "upgrade" as const };
  const backupLabel = `backup ${backup.remoteBackupId} of ${backup.applianceVersion}`;
  const steps = compileRestorePrevious({ node: { applianceId: appliance.id, label: appliance.name }, hop: { archiveVersion: hop.version, archiveSizeBytes: hop.sizeBytes, forceFlag: false }, backupLabel });
  const plan = await db.$transaction(async (tx) => {
    const created = await tx.upgradePlan.create({
    data: {
      method: RESTORE_METHOD, applianceId: appliance.id, fromVersion: appliance.version ?? "unknown", targetVersion: formatVersion(to), hops: [hop],
      nodes: [{ applianceId: appliance.id, name: appliance.name, fromVersion: appliance.version, restoreBackupId: backup.id }],
      state: "draft", acknowledgement: input.acknowledgement, createdBy: actor.name,
      steps: { create: stepRows(steps) },
    },
    });
    await appendAuditEvent(tx, { actor, action: "plan-created", subjectType: "plan", subjectId: created.id, data: { method: RESTORE_METHOD, appliance: appliance.name, to: created.targetVersion, restore: backupLabel } });
    return created;
  });
  await runPrechecks(db, actor, plan.id);
  return plan;
}

/** The verified archive of exactly `to` that the appliance can take; a detached-signature one is named in the refusal. */
async function chooseRestoreArchive(db: Db, to: NonNullable<ReturnType<typeof parseVersion>>) {
  const ofVersion = (await db.archive.findMany({ where: { status: "verified" } })).filter((a) => a.version && sameVersion(parseVersion(a.version)!, to));
  const archive = ofVersion.find((a) => deployableArchive(a).deployable);
  if (archive) return archive;
  const undeployable = ofVersion[0];
  if (undeployable) throw new AppError("precondition-failed", deployableArchive(undeployable).reason!);
  throw new AppError("precondition-failed", `No verified archive for ${formatVersion(to)}: upload it on the Archives page first.`);
}

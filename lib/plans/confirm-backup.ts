// [U4][O5] Before anything changes: a backup made on the appliance, downloaded off it together
// with its backup key, both stored here with their sha256. Only then may a plan launch.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { Db } from "@/lib/db/client";
import { getConfig } from "@/lib/config";
import { AppError } from "@/lib/errors";
import { createRestClient } from "@/lib/appliance/rest-client";
import { loadApplianceAccess } from "@/lib/fleet/appliance-access";
import { appendAuditEvent, type Actor } from "@/lib/audit/append-audit-event";
import { appendPlanEvent } from "@/lib/events/plan-events";
import { encryptSecret } from "@/lib/secrets/envelope";
import { runPrechecks } from "@/lib/plans/run-prechecks";

export async function confirmBackup(db: Db, actor: Actor, planId: string) {
  const plan = await db.upgradePlan.findUniqueOrThrow({ where: { id: planId } });
  if (!["draft", "prechecked", "ready"].includes(plan.state)) {
    throw new AppError("conflict", `The plan is ${plan.state}; a backup is confirmed before launch.`);
  }
  const row = await takeBackup(db, actor, planId, plan.applianceId);
  // Prechecks are taken again so the backup check ([U4][U5]) shows the backup just made.
  await runPrechecks(db, actor, planId);
  return row;
}

/** Creates a backup on the appliance and downloads it and its key; used before launch and between hops. */
export async function takeBackup(db: Db, actor: Actor, planId: string, applianceId: string, signal?: AbortSignal) {
  try {
    return await backUp(db, actor, planId, applianceId, signal);
  } catch (e) {
    // The person watching learns that the wait is over, and why; the caller still gets the error.
    await appendPlanEvent(db, planId, { type: "backup", data: { phase: "failed", applianceId, reason: (e as Error).message } }).catch(() => {});
    throw e;
  }
}

/** Download progress as plan events, at most two a second; the last bytes are always reported. */
function downloadReporter(db: Db, planId: string, applianceId: string, backupId: string) {
  const startedAt = Date.now();
  let lastAt = 0;
  let chain: Promise<unknown> = Promise.resolve();
  return {
    startedAt,
    onProgress(bytes: number, total: number | null) {
      const at = Date.now();
      if (at - lastAt < 500 && bytes !== total) return;
      lastAt = at;
      chain = chain.then(() => appendPlanEvent(db, planId, { type: "backup", data: { phase: "downloading", applianceId, backupId, bytes, total, startedAt, at } })).catch(() => {});
    },
    settled: () => chain,
  };
}

async function backUp(db: Db, actor: Actor, planId: string, applianceId: string, signal?: AbortSignal) {
  const access = await loadApplianceAccess(db, applianceId);
  const rest = createRestClient(access.endpoint, access.credentials, access.trust);
  const dir = path.join(getConfig().dataDir, "backups", planId);
  await fs.promises.mkdir(dir, { recursive: true });
  await appendPlanEvent(db, planId, { type: "backup", data: { phase: "creating", applianceId, startedAt: Date.now() } });
  const key = await rest.createBackupKey();
  const created = await rest.createBackup({ description: `fleet console, before plan ${planId}`, backupKeyId: key.id });
  const done = await rest.waitForBackup(created.id, { timeoutMs: 30 * 60_000, signal });
  if (done.status !== "completed") throw new AppError("appliance-error", `The appliance reports backup ${done.id} as ${done.status}.`);
  const reporter = downloadReporter(db, planId, applianceId, done.id);
  await appendPlanEvent(db, planId, { type: "backup", data: { phase: "downloading", applianceId, backupId: done.id, bytes: 0, total: null, startedAt: reporter.startedAt } });
  const backupPath = path.join(dir, `${done.id}.backup`);
  const backup = await rest.downloadBackup(done.id, backupPath, reporter.onProgress);
  await reporter.settled();
  // The exported key is protected by a password we make and keep sealed beside it.
  const keyPassword = crypto.randomBytes(18).toString("base64url");
  const keyPath = path.join(dir, `${key.id}.backupkey`);
  const keyFile = await rest.downloadBackupKey(key.id, keyPassword, keyPath);
  const info = await rest.systemInfo();
  const row = await db.$transaction(async (tx) => {
    const created = await tx.backupConfirmation.create({
    data: {
      planId, applianceId, kind: "downloaded", remoteBackupId: done.id,
      backupPath, backupSha256: backup.sha256, backupBytes: BigInt(backup.bytes),
      keyPath, keySha256: keyFile.sha256, applianceVersion: info.version,
      attestation: encryptSecret(keyPassword, `backup-key-password:${planId}`), confirmedBy: actor.name,
    },
  });
    await appendAuditEvent(tx, { actor, action: "backup-confirmed", subjectType: "plan", subjectId: planId, data: { applianceId, backupId: done.id, sha256: backup.sha256, keySha256: keyFile.sha256, applianceVersion: info.version } });
    return created;
  });
  await appendPlanEvent(db, planId, { type: "backup", data: { phase: "done", applianceId, backupId: done.id, bytes: backup.bytes, sha256: backup.sha256, keySha256: keyFile.sha256, applianceVersion: info.version } });
  return row;
}

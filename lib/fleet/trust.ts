// A changed SSH host key or TLS certificate stops all work on the appliance: it is marked
// `trust-changed`, an alert is written to the audit trail, and only an admin who compared the new
// fingerprints and accepted them brings it back (audited with the old and new values).
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { AppError, isAppError } from "@/lib/errors";
import { appendAuditEvent, SYSTEM_ACTOR, type Actor } from "@/lib/audit/append-audit-event";
import { probeAppliance } from "@/lib/appliance/probe";
import { logger } from "@/lib/log/logger";

export const TRUST_CODES: ReadonlySet<string> = new Set(["host-key-changed", "certificate-changed"]);

export async function markTrustChanged(db: Db, applianceId: string, err: unknown): Promise<void> {
  if (!isAppError(err) || !TRUST_CODES.has(err.code)) return;
  const before = await db.appliance.findUnique({ where: { id: applianceId }, select: { status: true, name: true } });
  if (!before) return;
  const raised = await db.$transaction(async (tx) => {
    await tx.appliance.update({ where: { id: applianceId }, data: { status: "trust-changed", statusReason: err.message } });
    if (before.status === "trust-changed") return false;
    await appendAuditEvent(tx, { actor: SYSTEM_ACTOR, action: `alert-${err.code}`, subjectType: "appliance", subjectId: applianceId, data: { appliance: before.name, message: err.message, ...(err.details ?? {}) } });
    return true;
  });
  if (raised) logger.error({ appliance: before.name, code: err.code }, "ALERT: appliance identity changed; all work on it stops until an admin accepts the new identity");
}

/** Refuses work on an appliance whose identity changed and was not accepted again. */
export async function assertTrusted(db: Db, applianceIds: string[]): Promise<void> {
  const changed = await db.appliance.findMany({ where: { id: { in: applianceIds }, status: "trust-changed" }, select: { name: true, statusReason: true } });
  if (changed.length) {
    throw new AppError("host-key-changed", `${changed.map((a) => a.name).join(", ")}: the SSH host key or TLS certificate changed (${changed[0]!.statusReason}). All work stops until an admin compares and accepts the new identity on the appliance page.`);
  }
}

export const AcceptTrustSchema = z.object({
  acceptedSshHostKeyFingerprint: z.string().regex(/^SHA256:[A-Za-z0-9+/]{43}$/),
  acceptedRestCertFingerprint: z.string().regex(/^[0-9a-f]{64}$/),
});

export async function acceptNewTrust(db: Db, actor: Actor, applianceId: string, input: z.infer<typeof AcceptTrustSchema>) {
  const a = await db.appliance.findUniqueOrThrow({ where: { id: applianceId } });
  const seen = await probeAppliance({ host: a.host, sshPort: a.sshPort, restUrl: a.restUrl });
  if (seen.sshHostKeyFingerprint !== input.acceptedSshHostKeyFingerprint || seen.restCertFingerprint !== input.acceptedRestCertFingerprint) {
    throw new AppError("host-key-changed", `The appliance now presents SSH ${seen.sshHostKeyFingerprint} and certificate ${seen.restCertFingerprint}, not what you accepted. Probe again.`);
  }
  await db.$transaction(async (tx) => {
    await tx.appliance.update({
      where: { id: applianceId },
      data: { sshHostKeyFingerprint: seen.sshHostKeyFingerprint, restCertFingerprint: seen.restCertFingerprint, restCertPem: seen.restCertPem, status: "ok", statusReason: null },
    });
    await appendAuditEvent(tx, {
    actor, action: "appliance-identity-accepted", subjectType: "appliance", subjectId: applianceId,
    data: { appliance: a.name, sshBefore: a.sshHostKeyFingerprint, sshAfter: seen.sshHostKeyFingerprint, certBefore: a.restCertFingerprint, certAfter: seen.restCertFingerprint },
    });
  });
}

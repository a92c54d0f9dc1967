// Enrolment is trust on first use made explicit: the admin sees both fingerprints (probe), and
// only the fingerprints the admin accepted are pinned. If the appliance presents anything else
// at enrolment time, enrolment stops.
import crypto from "node:crypto";
import { z } from "zod";
import { inTransaction, type Db, type DbOrTx } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { encryptSecret } from "@/lib/secrets/envelope";
import { appendAuditEvent, type Actor } from "@/lib/audit/append-audit-event";
import { probeAppliance } from "@/lib/appliance/probe";
import { createRestClient } from "@/lib/appliance/rest-client";
import { revealPrivateKey } from "@/lib/fleet/ssh-identities";

export const EnrolInputSchema = z.object({
  name: z.string().trim().min(1).max(100).regex(/^[A-Za-z0-9._-]+$/, "name: letters, digits, dot, dash, underscore"),
  host: z.string().trim().min(1).max(255).regex(/^[A-Za-z0-9.:[\]-]+$/, "host: a hostname or IP address"),
  sshPort: z.coerce.number().int().min(1).max(65535).default(22),
  restUrl: z.string().trim().url().refine((u) => u.startsWith("https://"), "restUrl must be https:// (TLS is never switched off)"),
  sshIdentityId: z.string().uuid(),
  restUsername: z.string().min(1).max(200),
  restPassword: z.string().min(1).max(500),
  acceptedSshHostKeyFingerprint: z.string().regex(/^SHA256:[A-Za-z0-9+/]{43}$/, "the SSH host key fingerprint accepted, as SHA256:..."),
  acceptedRestCertFingerprint: z.string().regex(/^[0-9a-f]{64}$/, "the REST certificate fingerprint accepted, as 64 hex digits"),
});
export type EnrolInput = z.infer<typeof EnrolInputSchema>;

export const ProbeInputSchema = EnrolInputSchema.pick({ host: true, sshPort: true, restUrl: true });

export async function probeForEnrolment(input: z.infer<typeof ProbeInputSchema>) {
  return probeAppliance({ host: input.host, sshPort: input.sshPort, restUrl: input.restUrl });
}

export async function enrolAppliance(db: Db, actor: Actor, input: EnrolInput) {
  const checked = await checkEnrolment(db, input);
  return recordEnrolment(db, actor, input, checked);
}

export type CheckedEnrolment = Awaited<ReturnType<typeof checkEnrolment>>;

/** Everything that talks to the appliance, before anything is written. */
export async function checkEnrolment(db: Db, input: EnrolInput) {
  const endpoint = { host: input.host, sshPort: input.sshPort, restUrl: input.restUrl };
  const seen = await probeAppliance(endpoint);
  if (seen.sshHostKeyFingerprint !== input.acceptedSshHostKeyFingerprint || seen.restCertFingerprint !== input.acceptedRestCertFingerprint) {
    throw new AppError("host-key-changed", `The appliance now presents SSH ${seen.sshHostKeyFingerprint} and certificate ${seen.restCertFingerprint}, not what you accepted. Probe again and compare with the appliance console before accepting.`);
  }
  const trust = { sshHostKeyFingerprint: seen.sshHostKeyFingerprint, restCertFingerprint: seen.restCertFingerprint, restCertPem: seen.restCertPem };
  const privateKey = await revealPrivateKey(db, input.sshIdentityId);
  const rest = createRestClient(endpoint, { sshUser: "ksadmin", privateKey, restUsername: input.restUsername, restPassword: input.restPassword }, trust);
  const info = await rest.systemInfo();
  return { seen, info };
}

/** The appliance row and its audit event, together or not at all. */
export async function recordEnrolment(db: DbOrTx, actor: Actor, input: EnrolInput, { seen, info }: CheckedEnrolment) {
  const id = crypto.randomUUID();
  return inTransaction(db, async (tx) => {
    const appliance = await tx.appliance.create({
      data: {
        id, name: input.name, host: input.host, sshPort: input.sshPort, restUrl: input.restUrl,
        sshIdentityId: input.sshIdentityId, restUsername: input.restUsername,
        restPasswordEncrypted: encryptSecret(input.restPassword, `appliance-rest:${id}`),
        sshHostKeyFingerprint: seen.sshHostKeyFingerprint, restCertFingerprint: seen.restCertFingerprint, restCertPem: seen.restCertPem,
        version: info.version, model: info.model, status: "ok", lastContactAt: new Date(),
      },
      omit: { restPasswordEncrypted: true },
    });
    await appendAuditEvent(tx, {
      actor, action: "appliance-enrolled", subjectType: "appliance", subjectId: id,
      data: { name: input.name, host: input.host, version: info.version, model: info.model, sshHostKey: seen.sshHostKeyFingerprint, restCert: seen.restCertFingerprint },
    });
    return appliance;
  });
}

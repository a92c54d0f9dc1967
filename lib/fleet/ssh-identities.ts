// SSH identities for ksadmin: generated here or pasted by an admin. The private key is sealed
// with AES-256-GCM at once and never returned to a browser or written to a log.
import crypto from "node:crypto";
import ssh2 from "ssh2";
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { encryptSecret, decryptSecret } from "@/lib/secrets/envelope";
import { appendAuditEvent, type Actor } from "@/lib/audit/append-audit-event";
import { generateSshKeyPair } from "@/lib/appliance/ssh-keys";

function publicKeyLine(parsed: ssh2.ParsedKey, comment: string): string {
  return `${parsed.type} ${parsed.getPublicSSH().toString("base64")} ${comment}`;
}

function sshFingerprint(parsed: ssh2.ParsedKey): string {
  return `SHA256:${crypto.createHash("sha256").update(parsed.getPublicSSH()).digest("base64").replace(/=+$/, "")}`;
}

/** POST /api/ssh-identities: without a private key, a key pair is generated here. */
export const CreateSshIdentitySchema = z.object({ name: z.string().trim().min(1).max(100), privateKey: z.string().max(20_000).optional() });

export async function createSshIdentity(db: Db, actor: Actor, input: { name: string; privateKey?: string }) {
  const privateKey = input.privateKey?.trim() ? `${input.privateKey.trim()}\n` : generateSshKeyPair().privateKey;
  const parsed = ssh2.utils.parseKey(privateKey);
  if (parsed instanceof Error) throw new AppError("bad-input", `The private key could not be read: ${parsed.message}. Paste an unencrypted OpenSSH or PEM key.`);
  const key = Array.isArray(parsed) ? parsed[0] : parsed;
  if (!key || !key.isPrivateKey()) throw new AppError("bad-input", "That is not a private key.");
  const id = crypto.randomUUID();
  return db.$transaction(async (tx) => {
    const row = await tx.sshIdentity.create({
    data: {
      id,
      name: input.name,
      publicKey: publicKeyLine(key, `fleet-console:${input.name}`),
      fingerprint: sshFingerprint(key),
      encryptedPrivateKey: encryptSecret(privateKey, `ssh-identity:${id}`),
      createdBy: actor.name,
    },
    omit: { encryptedPrivateKey: true },
    });
    await appendAuditEvent(tx, { actor, action: "ssh-identity-created", subjectType: "ssh-identity", subjectId: id, data: { name: row.name, fingerprint: row.fingerprint, generated: !input.privateKey } });
    return row;
  });
}

export async function listSshIdentities(db: Db) {
  return db.sshIdentity.findMany({ orderBy: { createdAt: "asc" }, omit: { encryptedPrivateKey: true } });
}

export async function revealPrivateKey(db: Db, identityId: string): Promise<string> {
  const row = await db.sshIdentity.findUniqueOrThrow({ where: { id: identityId } });
  return decryptSecret(row.encryptedPrivateKey, `ssh-identity:${row.id}`);
}

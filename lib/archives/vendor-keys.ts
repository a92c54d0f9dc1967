// Trusted vendor signing keys (OpenPGP public keys). Only public keys are accepted: a pasted
// private key is refused so that signing material never lands in the console's database.
import * as openpgp from "openpgp";
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { appendAuditEvent, type Actor } from "@/lib/audit/append-audit-event";

/** POST /api/vendor-keys: an ASCII-armored OpenPGP public key. */
export const AddVendorKeySchema = z.object({ armored: z.string().min(1).max(200_000) });

export async function addVendorKey(db: Db, actor: Actor, armored: string) {
  if (/BEGIN PGP PRIVATE KEY BLOCK/.test(armored)) {
    throw new AppError("bad-input", "That is a private key. Paste the vendor's PUBLIC key (BEGIN PGP PUBLIC KEY BLOCK).");
  }
  let key: openpgp.PublicKey;
  try {
    key = await openpgp.readKey({ armoredKey: armored });
  } catch (e) {
    throw new AppError("bad-input", `Not an OpenPGP public key: ${(e as Error).message}`);
  }
  const fingerprint = key.getFingerprint().toUpperCase();
  const expires = await key.getExpirationTime();
  const existing = await db.vendorKey.findUnique({ where: { fingerprint } });
  if (existing && !existing.removedAt) throw new AppError("conflict", `Key ${fingerprint} is already trusted.`);
  const data = {
    fingerprint,
    userIds: key.getUserIDs(),
    algorithm: key.getAlgorithmInfo().algorithm,
    armored: key.armor(),
    expiresAt: expires instanceof Date ? expires : null,
    addedBy: actor.name,
    removedAt: null,
  };
  return db.$transaction(async (tx) => {
    const row = existing ? await tx.vendorKey.update({ where: { id: existing.id }, data }) : await tx.vendorKey.create({ data });
    await appendAuditEvent(tx, { actor, action: "vendor-key-added", subjectType: "vendor-key", subjectId: row.id, data: { fingerprint, userIds: data.userIds } });
    return row;
  });
}

export async function removeVendorKey(db: Db, actor: Actor, id: string) {
  await db.$transaction(async (tx) => {
    const row = await tx.vendorKey.update({ where: { id }, data: { removedAt: new Date() } });
    await appendAuditEvent(tx, { actor, action: "vendor-key-removed", subjectType: "vendor-key", subjectId: id, data: { fingerprint: row.fingerprint } });
  });
}

export async function listVendorKeys(db: Db) {
  return db.vendorKey.findMany({ where: { removedAt: null }, orderBy: { createdAt: "asc" }, omit: { armored: true } });
}

export async function loadTrustedKeys(db: Db): Promise<string[]> {
  const rows = await db.vendorKey.findMany({ where: { removedAt: null }, select: { armored: true } });
  return rows.map((r) => r.armored);
}

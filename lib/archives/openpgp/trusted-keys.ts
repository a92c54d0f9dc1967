// Which trusted key made a signature, and whether that key may still be believed. openpgp.js
// does the key-level work (self-signatures, subkey bindings, flags, expiry, revocation).

import * as openpgp from "openpgp";
import type { Issuer } from "@/lib/archives/openpgp/subpackets";
import { VerifyFailure } from "@/lib/archives/openpgp/verify-failure";

export interface SigningKey {
  primary: openpgp.PublicKey;
  /** The primary key itself or one of its subkeys. */
  key: openpgp.PublicKey | openpgp.Subkey;
  userId: string | null;
}

/** Parses the armored keys; a key that does not parse is a configuration error and throws. */
export async function readTrustedKeys(armored: string[]): Promise<openpgp.PublicKey[]> {
  return Promise.all(
    armored.map(async (text, i) => {
      try {
        const key = await openpgp.readKey({ armoredKey: text });
        return key.isPrivate() ? key.toPublic() : key;
      } catch (e) {
        throw new Error(`trusted key #${i + 1} is not a readable OpenPGP public key: ${(e as Error).message}`);
      }
    }),
  );
}

const fingerprintOf = (k: { getFingerprint(): string }) => k.getFingerprint().toUpperCase();

/**
 * Finds the key that made the signature and checks it may sign: valid when the signature was
 * made, and neither revoked nor expired now (a signer's stated time proves nothing by itself).
 */
export async function findSigningKey(keys: openpgp.PublicKey[], issuer: Issuer, signedAt: Date, now: Date): Promise<SigningKey> {
  const match = keys
    .flatMap((primary) => primary.getKeys().map((key) => ({ primary, key })))
    .find(({ key }) =>
      issuer.fingerprint ? fingerprintOf(key) === issuer.fingerprint : key.getKeyID().toHex().toUpperCase() === issuer.keyId,
    );
  if (!match) {
    const names = keys.map((k) => `${k.getUserIDs()[0] ?? "(no user ID)"} ${fingerprintOf(k)}`).join("; ");
    throw new VerifyFailure(
      "unknown-signer",
      `the archive was signed by key ${issuer.fingerprint ?? issuer.keyId}, which is not one of the trusted keys (${names || "none configured"})`,
    );
  }
  const { primary, key } = match;
  const label = `key ${fingerprintOf(key)} of ${primary.getUserIDs()[0] ?? fingerprintOf(primary)}`;

  for (const date of [now, signedAt]) {
    try {
      await primary.getSigningKey(key.getKeyID(), date);
    } catch (e) {
      throw await explainUnusable(primary, key, label, date, now, (e as Error).message);
    }
  }
  let userId: string | null = null;
  try {
    userId = (await primary.getPrimaryUser(now)).user.userID?.userID ?? null;
  } catch {
    userId = primary.getUserIDs()[0] ?? null;
  }
  return { primary, key, userId };
}

async function explainUnusable(
  primary: openpgp.PublicKey,
  key: openpgp.PublicKey | openpgp.Subkey,
  label: string,
  date: Date,
  now: Date,
  detail: string,
): Promise<VerifyFailure> {
  const revocation = (await primary.isRevoked(undefined, undefined, now))
    ? primary.revocationSignatures[0]
    : key !== primary && /revoked/i.test(detail)
      ? (key as openpgp.Subkey).revocationSignatures[0]
      : undefined;
  if (revocation) {
    const why = revocation.reasonForRevocationString ? `: "${revocation.reasonForRevocationString}"` : "";
    return new VerifyFailure("revoked-key", `the signing ${label} has been revoked by its owner${why}`);
  }
  const expiries = [await primary.getExpirationTime()];
  if (key !== primary) expiries.push(await (key as openpgp.Subkey).getExpirationTime(now));
  const expired = expiries.find((t): t is Date => t instanceof Date && t.getTime() <= now.getTime());
  if (expired || /expired/i.test(detail)) {
    const when = expired ? ` on ${expired.toISOString()}` : "";
    return new VerifyFailure("expired-key", `the signing ${label} expired${when}; ask the vendor for its current key`);
  }
  if (key.getCreationTime().getTime() > date.getTime()) {
    return new VerifyFailure("bad-signature", `the signature claims a date before the signing ${label} existed`);
  }
  return new VerifyFailure("unknown-signer", `the ${label} is not valid for signing on ${date.toISOString()} (${detail})`);
}

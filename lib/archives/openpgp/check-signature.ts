// The last step of a verification: given the digest of what was signed, decide whether a trusted,
// valid key made this signature at a believable time.

import type * as openpgp from "openpgp";
import type { HashAlgorithm } from "@/lib/archives/openpgp/algorithms";
import type { SignaturePacket } from "@/lib/archives/openpgp/signature-packet";
import { findSigningKey } from "@/lib/archives/openpgp/trusted-keys";
import { verifyDigest } from "@/lib/archives/openpgp/verify-digest";
import { VerifyFailure } from "@/lib/archives/openpgp/verify-failure";

export interface GoodSignature {
  ok: true;
  signerFingerprint: string;
  signingKeyFingerprint: string;
  signerUserId: string | null;
  signedAt: Date;
  hashAlgorithm: string;
}

/** Vendor build machines and the console disagree on time a little; more than this is suspect. */
const CLOCK_SKEW_MS = 60 * 60 * 1000;

export async function checkSignature(
  sig: SignaturePacket,
  hash: HashAlgorithm,
  digest: Buffer,
  keys: openpgp.PublicKey[],
  now: Date,
): Promise<GoodSignature> {
  const signing = await findSigningKey(keys, sig.issuer, sig.createdAt, now);
  const who = signing.userId ?? signing.primary.getFingerprint().toUpperCase();

  // The two digest bytes in clear are a cheap first test; the math below is the real one.
  const matches = digest.subarray(0, 2).equals(sig.left16) && verifyDigest(signing.key.keyPacket, sig, hash, digest);
  if (!matches) {
    throw new VerifyFailure(
      "bad-signature",
      `the signature by ${who} does not match the data: the file was altered or is not the one that was signed`,
    );
  }
  if (sig.createdAt.getTime() > now.getTime() + CLOCK_SKEW_MS) {
    throw new VerifyFailure("bad-signature", `the signature claims to be made on ${sig.createdAt.toISOString()}, in the future`);
  }
  if (sig.expiresAt && sig.expiresAt.getTime() <= now.getTime()) {
    throw new VerifyFailure("bad-signature", `the signature by ${who} expired on ${sig.expiresAt.toISOString()}`);
  }
  return {
    ok: true,
    signerFingerprint: signing.primary.getFingerprint().toUpperCase(),
    signingKeyFingerprint: signing.key.getFingerprint().toUpperCase(),
    signerUserId: signing.userId,
    signedAt: sig.createdAt,
    hashAlgorithm: hash.name,
  };
}

// The signature math on a digest we computed ourselves while streaming. openpgp.js cannot verify
// a precomputed digest, so node's crypto does it with a KeyObject built from the key's numbers.

import { constants, createPublicKey, publicDecrypt, verify, type KeyObject } from "node:crypto";
import type { HashAlgorithm } from "@/lib/archives/openpgp/algorithms";
import { publicKeyName, PUBLIC_KEY } from "@/lib/archives/openpgp/algorithms";
import type { SignaturePacket } from "@/lib/archives/openpgp/signature-packet";
import { VerifyFailure } from "@/lib/archives/openpgp/verify-failure";

/** What openpgp.js exposes of a parsed public (sub)key packet. */
export interface KeyMaterial {
  algorithm: number;
  publicParams: object;
}

const b64url = (bytes: Uint8Array) => Buffer.from(bytes).toString("base64url");

function param(params: object, name: string): Uint8Array {
  const value = (params as Record<string, unknown>)[name];
  if (!(value instanceof Uint8Array)) throw new VerifyFailure("unsupported", `the trusted key lacks its "${name}" parameter`);
  return value;
}

function leftPad(bytes: Buffer, size: number): Buffer {
  if (bytes.length >= size) return bytes;
  return Buffer.concat([Buffer.alloc(size - bytes.length), bytes]);
}

/** True when the signature's value is valid for this digest under this key. */
export function verifyDigest(key: KeyMaterial, sig: SignaturePacket, hash: HashAlgorithm, digest: Buffer): boolean {
  const keyIsRsa = key.algorithm === PUBLIC_KEY.rsa || key.algorithm === PUBLIC_KEY.rsaSignOnly;
  const sigIsRsa = sig.pubAlgo === PUBLIC_KEY.rsa || sig.pubAlgo === PUBLIC_KEY.rsaSignOnly;
  if (keyIsRsa !== sigIsRsa || (!keyIsRsa && key.algorithm !== sig.pubAlgo)) return false;

  if (keyIsRsa) return verifyRsa(key.publicParams, sig.values[0] ?? Buffer.alloc(0), hash, digest);
  if (digest.length < 32) {
    // RFC 9580 5.2.3.4: EdDSA needs a hash of at least 256 bits.
    throw new VerifyFailure("unsupported", `${hash.name} is too short a hash for an ${publicKeyName(sig.pubAlgo)} signature`);
  }
  switch (key.algorithm) {
    case PUBLIC_KEY.eddsaLegacy: {
      // Q is 0x40 followed by the 32-byte point; r and s are 32-byte strings stored as numbers.
      const q = param(key.publicParams, "Q");
      const [r, s] = sig.values;
      if (q.length !== 33 || q[0] !== 0x40 || !r || !s || r.length > 32 || s.length > 32) return false;
      return verifyOkp("Ed25519", q.subarray(1), digest, Buffer.concat([leftPad(r, 32), leftPad(s, 32)]));
    }
    case PUBLIC_KEY.ed25519:
      return verifyOkp("Ed25519", param(key.publicParams, "A"), digest, sig.values[0] ?? Buffer.alloc(0));
    case PUBLIC_KEY.ed448:
      return verifyOkp("Ed448", param(key.publicParams, "A"), digest, sig.values[0] ?? Buffer.alloc(0));
    default:
      throw new VerifyFailure(
        "unsupported",
        `${publicKeyName(sig.pubAlgo)} signatures are not supported by this verifier (RSA, EdDSA, Ed25519 and Ed448 are)`,
      );
  }
}

function verifyRsa(params: object, s: Buffer, hash: HashAlgorithm, digest: Buffer): boolean {
  const n = param(params, "n");
  const key = createPublicKey({ key: { kty: "RSA", n: b64url(n), e: b64url(param(params, "e")) }, format: "jwk" });
  const modulusBytes = key.asymmetricKeyDetails?.modulusLength ? Math.ceil(key.asymmetricKeyDetails.modulusLength / 8) : n.length;
  if (s.length > modulusBytes) return false;
  let recovered: Buffer;
  try {
    // PKCS#1 v1.5: s^e mod n must be 00 01 FF..FF 00 || DigestInfo || digest; OpenSSL checks the padding.
    recovered = publicDecrypt({ key, padding: constants.RSA_PKCS1_PADDING }, leftPad(s, modulusBytes));
  } catch {
    return false;
  }
  return recovered.equals(Buffer.concat([hash.digestInfo, digest]));
}

function verifyOkp(crv: "Ed25519" | "Ed448", x: Uint8Array, digest: Buffer, signature: Buffer): boolean {
  let key: KeyObject;
  try {
    key = createPublicKey({ key: { kty: "OKP", crv, x: b64url(x) }, format: "jwk" });
  } catch {
    return false;
  }
  try {
    return verify(null, digest, key, signature);
  } catch {
    return false; // e.g. a signature of the wrong length
  }
}

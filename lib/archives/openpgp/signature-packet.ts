// Parses one-pass and v4 signature packets (RFC 9580 5.2 and 5.4) strictly: every byte the
// signature does not cover must be consistent with what it does cover, or the packet is refused.

import { publicKeyName, PUBLIC_KEY } from "@/lib/archives/openpgp/algorithms";
import { readSubpackets, type Issuer } from "@/lib/archives/openpgp/subpackets";
import { malformed, VerifyFailure } from "@/lib/archives/openpgp/verify-failure";

export interface OnePassSignature {
  sigType: number;
  hashAlgo: number;
  pubAlgo: number;
  keyId: string;
}

export interface SignaturePacket {
  sigType: number;
  pubAlgo: number;
  hashAlgo: number;
  createdAt: Date;
  expiresAt: Date | null;
  issuer: Issuer;
  /** First two bytes of the digest, stored in clear: a quick check before the math. */
  left16: Buffer;
  /** RSA: [s]; EdDSA legacy: [r, s] as unsigned big-endian; Ed25519/Ed448: [native signature]. */
  values: Buffer[];
  /** What is appended to the hashed data: the hashed part of the packet and the v4 trailer. */
  trailer: Buffer;
}

export const SIG_TYPE_BINARY = 0x00;
export const SIG_TYPE_TEXT = 0x01;

export function parseOnePass(body: Buffer): OnePassSignature {
  if (body[0] !== 3) throw new VerifyFailure("unsupported", `one-pass signature version ${body[0]} is not supported (only version 3, as gpg writes)`);
  if (body.length !== 13) throw malformed(`the one-pass signature packet is ${body.length} bytes long instead of 13`);
  // A single signer's one-pass packet is the last one before the data (flag 1); gpg writes 1.
  if (body[12] !== 1) throw new VerifyFailure("unsupported", "the archive carries more than one signature, which this verifier does not handle");
  return {
    sigType: body[1] ?? -1,
    hashAlgo: body[2] ?? -1,
    pubAlgo: body[3] ?? -1,
    keyId: body.subarray(4, 12).toString("hex").toUpperCase(),
  };
}

export function parseSignature(body: Buffer): SignaturePacket {
  const version = body[0];
  if (version !== 4) {
    throw new VerifyFailure("unsupported", `signature version ${version} is not supported (only version 4, as GnuPG writes)`);
  }
  if (body.length < 10) throw malformed("the signature packet is too short");
  const sigType = body[1] ?? -1;
  const pubAlgo = body[2] ?? -1;
  const hashAlgo = body[3] ?? -1;
  const hashedLen = body.readUInt16BE(4);
  const hashedEnd = 6 + hashedLen;
  if (hashedEnd + 2 > body.length) throw malformed("the signature's hashed subpackets run past the packet");
  const unhashedLen = body.readUInt16BE(hashedEnd);
  const unhashedEnd = hashedEnd + 2 + unhashedLen;
  if (unhashedEnd + 2 > body.length) throw malformed("the signature's unhashed subpackets run past the packet");

  const sub = readSubpackets(body.subarray(6, hashedEnd), body.subarray(hashedEnd + 2, unhashedEnd));
  const trailer = Buffer.alloc(hashedEnd + 6);
  body.copy(trailer, 0, 0, hashedEnd);
  trailer[hashedEnd] = 0x04;
  trailer[hashedEnd + 1] = 0xff;
  trailer.writeUInt32BE(hashedEnd, hashedEnd + 2);

  return {
    sigType,
    pubAlgo,
    hashAlgo,
    createdAt: sub.createdAt,
    expiresAt: sub.expiresAt,
    issuer: sub.issuer,
    left16: body.subarray(unhashedEnd, unhashedEnd + 2),
    values: readSignatureValues(pubAlgo, body.subarray(unhashedEnd + 2)),
    trailer,
  };
}

function readSignatureValues(pubAlgo: number, material: Buffer): Buffer[] {
  if (pubAlgo === PUBLIC_KEY.ed25519 || pubAlgo === PUBLIC_KEY.ed448) {
    const size = pubAlgo === PUBLIC_KEY.ed25519 ? 64 : 114;
    if (material.length !== size) throw malformed(`the ${publicKeyName(pubAlgo)} signature is ${material.length} bytes, not ${size}`);
    return [material];
  }
  const values: Buffer[] = [];
  let pos = 0;
  while (pos < material.length) {
    if (pos + 2 > material.length) throw malformed("the signature value is cut inside a number");
    const bits = material.readUInt16BE(pos);
    const size = (bits + 7) >> 3;
    const value = material.subarray(pos + 2, pos + 2 + size);
    if (value.length !== size) throw malformed("the signature value is shorter than its stated size");
    // The stated bit count is not signed: insist it is exact so no byte of the packet is free.
    if (bitLength(value) !== bits) throw malformed("a number in the signature states the wrong bit length");
    values.push(value);
    pos += 2 + size;
  }
  const expected = pubAlgo === PUBLIC_KEY.rsa || pubAlgo === PUBLIC_KEY.rsaSignOnly ? 1 : 2;
  if (values.length !== expected) {
    throw malformed(`a ${publicKeyName(pubAlgo)} signature holds ${expected} number(s), this one ${values.length}`);
  }
  return values;
}

function bitLength(value: Buffer): number {
  const first = value[0];
  if (first === undefined || first === 0) return value.length === 0 ? 0 : -1;
  return (value.length - 1) * 8 + (32 - Math.clz32(first));
}

// Signature subpackets (RFC 9580 5.2.3.7). The hashed area is signed; the unhashed area is not,
// so it may only repeat the issuer, and must agree with the hashed issuer when both are present.

import { malformed, VerifyFailure } from "@/lib/archives/openpgp/verify-failure";

export interface Issuer {
  /** 16 hex digits, upper case. */
  keyId: string;
  /** 40 hex digits (v4 key), upper case, when the signature names it. */
  fingerprint: string | null;
}

export interface SignatureSubpackets {
  createdAt: Date;
  expiresAt: Date | null;
  issuer: Issuer;
}

const SUB = { created: 2, expires: 3, exportable: 4, issuerKeyId: 16, signerUserId: 28, issuerFingerprint: 33 } as const;
/** Types we understand well enough that a critical flag on them is no reason to refuse. */
const UNDERSTOOD: ReadonlySet<number> = new Set(Object.values(SUB));
const UNHASHED_ALLOWED: ReadonlySet<number> = new Set([SUB.issuerKeyId, SUB.issuerFingerprint]);

interface Subpacket {
  type: number;
  critical: boolean;
  data: Buffer;
}

export function readSubpackets(hashedArea: Buffer, unhashedArea: Buffer): SignatureSubpackets {
  const hashed = splitSubpackets(hashedArea, "hashed");
  const unhashed = splitSubpackets(unhashedArea, "unhashed");

  for (const sp of hashed) {
    if (sp.critical && !UNDERSTOOD.has(sp.type)) {
      throw new VerifyFailure("unsupported", `the signature has a critical subpacket of type ${sp.type}, which this verifier does not understand`);
    }
  }
  for (const sp of unhashed) {
    if (sp.critical) throw malformed("the signature's unsigned area marks a subpacket critical, which nothing may rely on");
    if (!UNHASHED_ALLOWED.has(sp.type)) {
      throw malformed(`the signature's unsigned area carries a subpacket of type ${sp.type}; only the issuer may appear there`);
    }
  }

  const created = only(hashed, SUB.created, 4, "creation time");
  if (!created) throw malformed("the signature has no signed creation time");
  const createdAt = new Date(created.readUInt32BE(0) * 1000);
  const expiresIn = only(hashed, SUB.expires, 4, "expiration time")?.readUInt32BE(0) ?? 0;
  const expiresAt = expiresIn === 0 ? null : new Date(createdAt.getTime() + expiresIn * 1000);
  return { createdAt, expiresAt, issuer: readIssuer(hashed, unhashed) };
}

function splitSubpackets(area: Buffer, which: string): Subpacket[] {
  const out: Subpacket[] = [];
  let pos = 0;
  while (pos < area.length) {
    const first = area[pos] ?? 0;
    let len: number;
    if (first < 192) {
      len = first;
      pos += 1;
    } else if (first < 255) {
      len = ((first - 192) << 8) + (area[pos + 1] ?? 0) + 192;
      pos += 2;
    } else {
      if (pos + 5 > area.length) throw malformed(`a ${which} subpacket length runs past its area`);
      len = area.readUInt32BE(pos + 1);
      pos += 5;
    }
    if (len === 0 || pos + len > area.length) throw malformed(`a ${which} subpacket runs past its area`);
    const typeByte = area[pos] ?? 0;
    out.push({ type: typeByte & 0x7f, critical: (typeByte & 0x80) !== 0, data: area.subarray(pos + 1, pos + len) });
    pos += len;
  }
  return out;
}

function only(list: Subpacket[], type: number, size: number, what: string): Buffer | null {
  const found = list.filter((sp) => sp.type === type);
  if (found.length > 1) throw malformed(`the signature states its ${what} more than once`);
  const sp = found[0];
  if (!sp) return null;
  if (sp.data.length !== size) throw malformed(`the signature's ${what} is ${sp.data.length} bytes instead of ${size}`);
  return sp.data;
}

function readIssuer(hashed: Subpacket[], unhashed: Subpacket[]): Issuer {
  const all = [...hashed, ...unhashed];
  const keyIds = new Set<string>();
  const fingerprints = new Set<string>();
  for (const sp of all) {
    if (sp.type === SUB.issuerKeyId) {
      if (sp.data.length !== 8) throw malformed("the signature's issuer key ID is not 8 bytes");
      keyIds.add(sp.data.toString("hex").toUpperCase());
    } else if (sp.type === SUB.issuerFingerprint) {
      if (sp.data[0] !== 4) {
        throw new VerifyFailure("unsupported", `the signature names a version ${sp.data[0]} key; only version 4 keys are supported`);
      }
      if (sp.data.length !== 21) throw malformed("the signature's issuer fingerprint is not 20 bytes");
      fingerprints.add(sp.data.subarray(1).toString("hex").toUpperCase());
    }
  }
  if (fingerprints.size > 1) throw malformed("the signature names two different issuer fingerprints");
  const fingerprint = [...fingerprints][0] ?? null;
  // A v4 key ID is the low 64 bits of its fingerprint.
  if (fingerprint) keyIds.add(fingerprint.slice(-16));
  if (keyIds.size > 1) throw malformed("the signature names issuers that disagree with each other");
  const keyId = [...keyIds][0];
  if (!keyId) throw malformed("the signature does not name the key that made it");
  return { keyId, fingerprint };
}

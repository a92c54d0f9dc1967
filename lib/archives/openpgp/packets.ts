// OpenPGP packet framing (RFC 9580 section 4.2): old and new headers, and bodies of fixed,
// partial (chunked, used when the writer streams) or indeterminate (to end of stream) length.

import type { ByteReader } from "@/lib/archives/openpgp/byte-reader";
import { malformed } from "@/lib/archives/openpgp/verify-failure";

export const TAG = {
  pkesk: 1,
  signature: 2,
  skesk: 3,
  onePassSignature: 4,
  secretKey: 5,
  publicKey: 6,
  secretSubkey: 7,
  compressed: 8,
  symEncrypted: 9,
  marker: 10,
  literal: 11,
  userId: 13,
  publicSubkey: 14,
  seipd: 18,
  aead: 20,
} as const;

export const ENCRYPTION_TAGS: ReadonlySet<number> = new Set([TAG.pkesk, TAG.skesk, TAG.symEncrypted, TAG.seipd, TAG.aead]);
export const KEY_TAGS: ReadonlySet<number> = new Set([TAG.secretKey, TAG.publicKey, TAG.secretSubkey, TAG.publicSubkey]);

export type BodyLength = { kind: "fixed"; n: number } | { kind: "partial"; n: number } | { kind: "indeterminate" };

export interface PacketHeader {
  tag: number;
  length: BodyLength;
}

/** The next packet header, or null at a clean end of stream. */
export async function readPacketHeader(r: ByteReader): Promise<PacketHeader | null> {
  const ctb = await r.readByteOrEnd();
  if (ctb === null) return null;
  if ((ctb & 0x80) === 0) {
    throw malformed(`byte 0x${ctb.toString(16).padStart(2, "0")} is not an OpenPGP packet header`);
  }
  if (ctb & 0x40) return { tag: ctb & 0x3f, length: await readNewLength(r, true) };
  const tag = (ctb >> 2) & 0x0f;
  const lengthType = ctb & 0x03;
  if (lengthType === 3) return { tag, length: { kind: "indeterminate" } };
  const size = await r.readExact(1 << lengthType, "a packet header");
  return { tag, length: { kind: "fixed", n: size.readUIntBE(0, size.length) } };
}

async function readNewLength(r: ByteReader, partialAllowed: boolean): Promise<BodyLength> {
  const first = await r.readByte("a packet length");
  if (first < 192) return { kind: "fixed", n: first };
  if (first < 224) return { kind: "fixed", n: ((first - 192) << 8) + (await r.readByte("a packet length")) + 192 };
  if (first === 255) return { kind: "fixed", n: (await r.readExact(4, "a packet length")).readUInt32BE(0) };
  if (!partialAllowed) throw malformed("a partial body length appears where it is not allowed");
  return { kind: "partial", n: 1 << (first & 0x1f) };
}

/** Streams a packet's body, following partial-length chunks until the final fixed part. */
export async function* packetBody(r: ByteReader, header: PacketHeader, what: string): AsyncGenerator<Buffer> {
  if (header.length.kind === "indeterminate") {
    yield* r.rest();
    return;
  }
  let length: { kind: "fixed" | "partial"; n: number } = header.length;
  for (;;) {
    yield* r.take(length.n, what);
    if (length.kind === "fixed") return;
    const next = await readNewLength(r, true);
    if (next.kind === "indeterminate") throw malformed("a partial body length is followed by an impossible one");
    length = next;
  }
}

/** Reads a small packet (signature, one-pass, key) whole, refusing absurd sizes. */
export async function readSmallBody(r: ByteReader, header: PacketHeader, what: string, max = 1 << 20): Promise<Buffer> {
  if (header.length.kind !== "fixed") {
    // Only data packets may be streamed (RFC 9580 4.2.1.4); gpg never streams these.
    throw malformed(`${what} has a streamed length, which only data packets may have`);
  }
  if (header.length.n > max) throw malformed(`${what} claims ${header.length.n} bytes; at most ${max} are plausible`);
  return r.readExact(header.length.n, what);
}

export function tagName(tag: number): string {
  const entry = Object.entries(TAG).find(([, t]) => t === tag);
  return entry ? `${entry[0]} packet (tag ${tag})` : `packet of tag ${tag}`;
}

// Walks a signed OpenPGP message as gpg writes it, hashing the signed data as it streams past:
//   [compressed: ] one-pass signature, literal data, signature   (gpg --sign, -z 0 or not)
//   [compressed: ] signature, literal data                       (older signers)
// Nothing of the data is kept; only the digest and the packets around it.

import { createHash } from "node:crypto";
import { HASH_ALGORITHMS, WEAK_HASHES, type HashAlgorithm } from "@/lib/archives/openpgp/algorithms";
import { ByteReader } from "@/lib/archives/openpgp/byte-reader";
import { decompress } from "@/lib/archives/openpgp/decompress";
import { ENCRYPTION_TAGS, KEY_TAGS, packetBody, readPacketHeader, readSmallBody, TAG, tagName, type PacketHeader } from "@/lib/archives/openpgp/packets";
import {
  parseOnePass,
  parseSignature,
  SIG_TYPE_BINARY,
  SIG_TYPE_TEXT,
  type OnePassSignature,
  type SignaturePacket,
} from "@/lib/archives/openpgp/signature-packet";
import { malformed, truncated, VerifyFailure } from "@/lib/archives/openpgp/verify-failure";

export interface SignedMessage {
  signature: SignaturePacket;
  hash: HashAlgorithm;
  /** Hash of the signed data followed by the signature's trailer: what the signature signs. */
  digest: Buffer;
  literalFileName: string | null;
  /** OpenPGP compression algorithm id; 0 when the data was not compressed. */
  compression: number;
}

const LITERAL_FORMATS = new Set(["b", "u", "t", "m", "l", "1"]);

export async function readSignedMessage(r: ByteReader): Promise<SignedMessage> {
  const first = await r.peekByte();
  if (first === null) throw malformed("the file is empty");
  if ((first & 0x80) === 0) throw new VerifyFailure("unsigned", describeUnsigned(first));

  const header = await nextPacket(r);
  if (!header) throw malformed("the file holds only marker packets");
  if (header.tag !== TAG.compressed) return readSignedContent(r, header, 0);

  const body = new ByteReader(packetBody(r, header, "the compressed data"));
  const algo = await body.readByte("the compressed data packet");
  const inner = new ByteReader(decompress(algo, body.rest()));
  try {
    const message = await readSignedContent(inner, null, algo);
    if (await nextPacket(r)) throw malformed("more packets follow the compressed signed message");
    return message;
  } finally {
    await inner.close();
  }
}

function describeUnsigned(first: number): string {
  if (first === 0x1f) return "the file is a plain gzip file (a .tar.gz with no OpenPGP signature)";
  return "the file is not an OpenPGP message, so it carries no signature";
}

async function nextPacket(r: ByteReader): Promise<PacketHeader | null> {
  for (;;) {
    const header = await readPacketHeader(r);
    if (!header || header.tag !== TAG.marker) {
      if (header?.tag === 0) throw malformed("a packet has the reserved tag 0");
      return header;
    }
    await readSmallBody(r, header, "a marker packet", 64); // obsolete "PGP" marker: skip it
  }
}

async function readSignedContent(r: ByteReader, firstHeader: PacketHeader | null, compression: number): Promise<SignedMessage> {
  let header = firstHeader ?? (await nextPacket(r));
  if (!header) throw truncated("the compressed data (it holds no packets)");
  refuseUnsignedKinds(header);

  let onePass: OnePassSignature | null = null;
  let signature: SignaturePacket | null = null;
  if (header.tag === TAG.onePassSignature) {
    onePass = parseOnePass(await readSmallBody(r, header, "the one-pass signature packet"));
    header = await nextPacket(r);
  } else if (header.tag === TAG.signature) {
    signature = parseSignature(await readSmallBody(r, header, "the signature packet"));
    header = await nextPacket(r);
    if (!header) {
      throw malformed("the file is a detached signature with no signed data: verify it together with the archive it signs");
    }
  } else if (header.tag !== TAG.literal) {
    throw malformed(`the file starts with a ${tagName(header.tag)} where a signed message begins`);
  }
  if (!header) throw truncated("the signed message (nothing follows the one-pass signature)");
  if (header.tag !== TAG.literal) throw malformed(`a ${tagName(header.tag)} stands where the signed data should be`);
  if (!onePass && !signature) throw new VerifyFailure("unsigned", "the file holds OpenPGP data but no signature");

  const announced = onePass ?? (signature as SignaturePacket);
  const hash = chooseHash(announced.hashAlgo, announced.sigType);
  const hasher = createHash(hash.node);
  const literalFileName = await hashLiteral(r, header, (chunk) => hasher.update(chunk));

  if (onePass) {
    const sigHeader = await nextPacket(r);
    if (!sigHeader) throw truncated("the signed message (its closing signature packet is missing)");
    if (sigHeader.tag !== TAG.signature) throw malformed(`a ${tagName(sigHeader.tag)} stands where the signature should be`);
    signature = parseSignature(await readSmallBody(r, sigHeader, "the signature packet"));
    checkOnePassMatches(onePass, signature);
  }
  const trailing = await nextPacket(r);
  if (trailing) throw malformed(`a ${tagName(trailing.tag)} follows the signature`);

  const sig = signature as SignaturePacket;
  hasher.update(sig.trailer);
  return { signature: sig, hash, digest: hasher.digest(), literalFileName, compression };
}

function refuseUnsignedKinds(header: PacketHeader): void {
  if (ENCRYPTION_TAGS.has(header.tag)) {
    throw new VerifyFailure("encrypted", "the file is encrypted, not signed: the vendor's archives are signed in the clear");
  }
  if (KEY_TAGS.has(header.tag)) throw malformed("the file is an OpenPGP key, not a signed archive");
  if (header.tag === TAG.compressed) throw new VerifyFailure("unsupported", "the archive is compressed twice, which gpg never does");
}

/** Chooses the digest the signature needs; refuses weak or unknown ones and text signatures. */
export function chooseHash(hashAlgo: number, sigType: number): HashAlgorithm {
  if (sigType === SIG_TYPE_TEXT) {
    throw new VerifyFailure("unsupported", "the archive has a text-mode signature (gpg --textmode); archives are signed as binary");
  }
  if (sigType !== SIG_TYPE_BINARY) {
    throw malformed(`signature type 0x${sigType.toString(16).padStart(2, "0")} is not a signature over a document`);
  }
  const weak = WEAK_HASHES.get(hashAlgo);
  if (weak) throw new VerifyFailure("unsupported", `the archive is signed with ${weak}, a hash too weak to trust`);
  const hash = HASH_ALGORITHMS.get(hashAlgo);
  if (!hash) throw new VerifyFailure("unsupported", `the archive is signed with unknown hash algorithm ${hashAlgo}`);
  return hash;
}

/** Reads a literal data packet, feeding its content to `consume`; returns the file name it states. */
async function hashLiteral(r: ByteReader, header: PacketHeader, consume: (chunk: Buffer) => void): Promise<string | null> {
  const body = new ByteReader(packetBody(r, header, "the signed data"));
  const format = String.fromCharCode(await body.readByte("the literal data header"));
  if (!LITERAL_FORMATS.has(format)) throw malformed(`the signed data has an unknown format '${format}'`);
  const nameLength = await body.readByte("the literal data header");
  const name = (await body.readExact(nameLength, "the literal data header")).toString("utf8");
  await body.readExact(4, "the literal data header"); // a date gpg sets; not covered by the signature
  for await (const chunk of body.rest()) consume(chunk);
  return name === "" ? null : name;
}

function checkOnePassMatches(onePass: OnePassSignature, sig: SignaturePacket): void {
  // The one-pass packet is not signed itself; a mismatch means the file was altered or misbuilt.
  if (
    onePass.sigType !== sig.sigType ||
    onePass.hashAlgo !== sig.hashAlgo ||
    onePass.pubAlgo !== sig.pubAlgo ||
    onePass.keyId !== sig.issuer.keyId
  ) {
    throw malformed("the one-pass signature packet does not match the signature that closes the message");
  }
}

// Verifies a signed upgrade archive (gpg --sign, with or without compression, or a detached
// signature) in constant memory: the file streams through our own packet reader once, the data
// is hashed with node's crypto as it passes, and only the small signature is held. openpgp.js
// is used for the trusted keys alone; on a large compressed file it needs memory in proportion
// to the file (docs/archive-verification.md).

import { readFile, stat } from "node:fs/promises";
import { createHash } from "node:crypto";
import { compressionName } from "@/lib/archives/openpgp/algorithms";
import { openPgpInput } from "@/lib/archives/openpgp/armor";
import { ByteReader } from "@/lib/archives/openpgp/byte-reader";
import { readFileChunks } from "@/lib/archives/openpgp/file-chunks";
import { readPacketHeader, readSmallBody, TAG, tagName } from "@/lib/archives/openpgp/packets";
import { chooseHash, readSignedMessage } from "@/lib/archives/openpgp/read-message";
import { checkSignature } from "@/lib/archives/openpgp/check-signature";
import { parseSignature } from "@/lib/archives/openpgp/signature-packet";
import { readTrustedKeys } from "@/lib/archives/openpgp/trusted-keys";
import { malformed, VerifyFailure, type VerifyFailureCode } from "@/lib/archives/openpgp/verify-failure";
import { parseArchiveName } from "@/lib/domain/archive-name";

export type { VerifyFailureCode };

export type VerifyResult =
  | {
      ok: true;
      /** Fingerprint of the trusted primary key: 40 upper-case hex digits, no spaces (as gpg prints). */
      signerFingerprint: string;
      /** Fingerprint of the (sub)key that made the signature; equals signerFingerprint unless a subkey signed. */
      signingKeyFingerprint: string;
      /** The trusted key's primary user ID, e.g. "Test Vendor <test-vendor@example.invalid>". */
      signerUserId: string | null;
      signedAt: Date;
      /** The file name stored in the signed message. Not covered by the signature: a hint only. */
      literalFileName: string | null;
      /** Version read from literalFileName by parseArchiveName, if it is an archive name. A hint only. */
      version: string | null;
      /** As gpg names it: "SHA256", "SHA512", ... */
      hashAlgorithm: string;
      format: "compressed" | "uncompressed" | "detached";
      /** "ZIP", "ZLIB" or "BZIP2" for the compressed format, else null. */
      compression: string | null;
      armored: boolean;
    }
  | { ok: false; code: VerifyFailureCode; reason: string };

export interface VerifyOptions {
  /** Armored OpenPGP public keys whose signatures are accepted. */
  trustedKeys: string[];
  /** A detached signature (.sig binary or .asc armored) of the file at `path`. */
  signaturePath?: string;
  /** The time keys and signatures are judged at; defaults to the current time. */
  now?: Date;
  /** Called after each chunk read from `path`. */
  onProgress?: (bytesRead: number, totalBytes: number) => void;
}

const MAX_SIGNATURE_FILE = 1024 * 1024;

/**
 * Never throws for anything wrong with the archive or signature: the answer is a result. It
 * throws only when the files cannot be read (missing, no permission) or a trusted key is unreadable.
 */
export async function verifySignedArchive(path: string, opts: VerifyOptions): Promise<VerifyResult> {
  const totalBytes = (await stat(path)).size;
  let signature: Buffer | undefined;
  if (opts.signaturePath) {
    const size = (await stat(opts.signaturePath)).size;
    if (size > MAX_SIGNATURE_FILE) return failure(malformed(`the signature file is ${size} bytes: too large to be a signature`));
    signature = await readFile(opts.signaturePath);
  }
  const source = readFileChunks(path, (read) => opts.onProgress?.(read, totalBytes));
  try {
    return await verifySignedStream(source, { trustedKeys: opts.trustedKeys, signature, now: opts.now });
  } finally {
    await source.return(undefined); // closes the file when a refusal stopped reading early
  }
}

export interface VerifyStreamOptions {
  /** Armored OpenPGP public keys whose signatures are accepted. */
  trustedKeys: string[];
  /** The detached signature (.sig binary or .asc armored) of the data, when it is not signed inline. */
  signature?: Buffer;
  /** The time keys and signatures are judged at; defaults to the current time. */
  now?: Date;
}

/**
 * The same verdict as verifySignedArchive, on data arriving as a stream (an upload being
 * received): each chunk is checked as it comes, so the verdict is ready when the last byte is.
 * A chunk may be reused by the source once the next one is pulled (file-chunks.ts). The source is
 * read to the end unless a refusal comes first; what is left is the caller's (it is not closed).
 * When the source itself fails (an upload cut off), the answer is a refusal or a throw: the caller
 * knows the real cause and should report that instead (receive-archive.ts does).
 */
export async function verifySignedStream(source: AsyncIterable<Buffer>, opts: VerifyStreamOptions): Promise<VerifyResult> {
  const keys = await readTrustedKeys(opts.trustedKeys);
  const now = opts.now ?? new Date();
  try {
    if (opts.signature) {
      if (opts.signature.length > MAX_SIGNATURE_FILE) throw malformed(`the signature file is ${opts.signature.length} bytes: too large to be a signature`);
      return await verifyDetached(source, opts.signature, keys, now);
    }
    const input = await openPgpInput(source);
    if (input.armor !== null && input.armor !== "MESSAGE") throw armorKindFailure(input.armor);
    const message = await readSignedMessage(new ByteReader(input.data));
    const signer = await checkSignature(message.signature, message.hash, message.digest, keys, now);
    const fileName = message.literalFileName;
    const parsedName = fileName ? parseArchiveName(fileName) : null;
    return {
      ...signer,
      literalFileName: fileName,
      version: parsedName?.ok ? parsedName.version : null,
      format: message.compression === 0 ? "uncompressed" : "compressed",
      compression: message.compression === 0 ? null : compressionName(message.compression),
      armored: input.armor !== null,
    };
  } catch (e) {
    return failure(e);
  }
}

async function verifyDetached(
  source: AsyncIterable<Buffer>,
  signatureFile: Buffer,
  keys: Awaited<ReturnType<typeof readTrustedKeys>>,
  now: Date,
): Promise<VerifyResult> {
  const input = await openPgpInput((async function* () { yield signatureFile; })());
  if (input.armor !== null && input.armor !== "SIGNATURE") throw armorKindFailure(input.armor);
  const r = new ByteReader(input.data);
  const header = await readPacketHeader(r);
  if (!header) throw malformed("the signature file is empty");
  if (header.tag !== TAG.signature) throw malformed(`the signature file holds a ${tagName(header.tag)}, not a detached signature`);
  const sig = parseSignature(await readSmallBody(r, header, "the signature packet"));
  if (!(await r.atEnd())) throw new VerifyFailure("unsupported", "the signature file holds more than one signature");

  const hash = chooseHash(sig.hashAlgo, sig.sigType);
  const hasher = createHash(hash.node);
  for await (const chunk of source) hasher.update(chunk);
  hasher.update(sig.trailer);
  const signer = await checkSignature(sig, hash, hasher.digest(), keys, now);
  return { ...signer, literalFileName: null, version: null, format: "detached", compression: null, armored: input.armor !== null };
}

function armorKindFailure(kind: string): VerifyFailure {
  if (kind === "SIGNATURE") return malformed("the file is a detached signature: verify it together with the archive it signs");
  if (kind === "SIGNED MESSAGE") return new VerifyFailure("unsupported", "the file is a cleartext-signed text, not a signed archive");
  return malformed(`the file is an armored PGP ${kind}, not a signed archive`);
}

function failure(e: unknown): VerifyResult {
  if (e instanceof VerifyFailure) return { ok: false, code: e.code, reason: e.message };
  // An error from the operating system is not a verdict on the archive: let the caller see it.
  if (typeof (e as NodeJS.ErrnoException).code === "string" && (e as NodeJS.ErrnoException).syscall) throw e;
  // Anything else is a file our reader could not make sense of: refuse it rather than crash.
  return { ok: false, code: "malformed", reason: `the file could not be read as a signed archive (${(e as Error).message})` };
}

// Makes signed upgrade archives like the vendor's: a real .tar.gz (a VERSION file and a
// pseudo-random filler) signed as gpg would sign it, of any size, streamed in constant memory.
// Also the corruptions tests need: a flipped byte, a truncated file.

import { createCipheriv, createHash, type Hash } from "node:crypto";
import { createWriteStream } from "node:fs";
import { open, readFile, truncate } from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createDeflateRaw, createGzip } from "node:zlib";
import { COMPRESSION } from "@/lib/archives/openpgp/algorithms";
import { TAG } from "@/lib/archives/openpgp/packets";
import { loadSigner } from "@/lib/archives/openpgp/sign";
import { literalPrefix, onePassBody, packet, partialBodyPacket } from "@/lib/archives/openpgp/write-packets";

export type ArchiveFormat = "compressed" | "uncompressed" | "detached";
export type KnownSigner = "test-vendor" | "other-signer" | "expired-signer" | "revoked-signer";

export interface MakeSignedArchiveOptions {
  dir: string;
  version: string;
  kind?: "upgrade" | "downgrade";
  /** Approximate size of the .tar.gz inside; default 64 KiB. */
  sizeBytes?: number;
  /** A key of simulator/keys/ by name, or an armored unprotected private key. */
  signer?: KnownSigner | string;
  format?: ArchiveFormat;
  nameForm?: "documented" | "portal";
  fileName?: string;
  signedAt?: Date;
  /** OpenPGP hash id: 8 SHA256 (default), 10 SHA512, ... */
  hashAlgorithm?: number;
  /** Deflate level of the compressed format. Default 0 (stored): the .tar.gz inside does not
   *  compress, and level 6 (gpg's) writes about 30 MB/s, too slow for multi-GB archives. */
  compressionLevel?: number;
}

export interface MadeArchive {
  path: string;
  signaturePath?: string;
  fileName: string;
  /** Size of the file at `path`. */
  sizeBytes: number;
  /** sha256 of the file at `path`, lower-case hex as sha256sum prints it. */
  sha256: string;
  /** The file name inside the signed message, ks_<kind>_<version>.tar.gz. */
  literalFileName: string;
}

export const KEYS_DIR = path.join(import.meta.dirname, "keys");
const DEFAULT_SIZE = 64 * 1024;

export function keyPath(name: KnownSigner, part: "pub" | "sec"): string {
  return path.join(KEYS_DIR, `${name}.${part}.asc`);
}

/** The archive's file name in the documented or the Support Portal form. */
export function archiveFileName(version: string, kind: "upgrade" | "downgrade", form: "documented" | "portal", format: ArchiveFormat): string {
  const ext = format === "detached" ? ".tar.gz" : ".tar.gz.gpg";
  if (form === "documented") return `ks_${kind}_${version}${ext}`;
  const title = kind === "upgrade" ? "Upgrade" : "Downgrade";
  // Portal names carry no build number.
  return `610-000611-034_SW_${title}_Package_CipherTrust_Manager_v${version.split("+")[0]}_RevA${ext}`;
}

export async function makeSignedArchive(opts: MakeSignedArchiveOptions): Promise<MadeArchive> {
  const kind = opts.kind ?? "upgrade";
  const format = opts.format ?? "compressed";
  const fileName = opts.fileName ?? archiveFileName(opts.version, kind, opts.nameForm ?? "documented", format);
  const target = path.join(opts.dir, fileName);
  const literalFileName = `ks_${kind}_${opts.version}.tar.gz`;
  const signedAt = opts.signedAt ?? new Date();
  const signer = await loadSigner(await armoredSigner(opts.signer ?? "test-vendor"), opts.hashAlgorithm ?? 8, signedAt);
  const payload = tarGzPayload(opts.version, opts.sizeBytes ?? DEFAULT_SIZE);
  const dataHash = createHash(signer.hash.node);

  if (format === "detached") {
    const written = await writeHashed(target, hashInto(dataHash, payload));
    const signaturePath = `${target}.sig`;
    await writeHashed(signaturePath, [signer.signaturePacket(dataHash, signedAt)]);
    return { path: target, signaturePath, fileName, literalFileName, ...written };
  }

  async function* signedMessage(): AsyncGenerator<Buffer> {
    yield packet(TAG.onePassSignature, onePassBody(0x00, signer.hash.id, signer.pubAlgo, signer.keyId));
    yield* partialBodyPacket(TAG.literal, prefixed(literalPrefix(literalFileName, signedAt), hashInto(dataHash, payload)));
    yield signer.signaturePacket(dataHash, signedAt);
  }
  const body = format === "compressed" ? compressedPacket(signedMessage(), opts.compressionLevel ?? 0) : signedMessage();
  return { path: target, fileName, literalFileName, ...(await writeHashed(target, body)) };
}

async function armoredSigner(signer: string): Promise<string> {
  if (signer.includes("-----BEGIN PGP PRIVATE KEY BLOCK-----")) return signer;
  return readFile(keyPath(signer as KnownSigner, "sec"), "utf8");
}

async function* hashInto(hash: Hash, chunks: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  for await (const chunk of chunks) {
    hash.update(chunk);
    yield chunk;
  }
}

async function* prefixed(first: Buffer, rest: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  yield first;
  yield* rest;
}

/** As gpg writes it: an old-format packet of indeterminate length (to end of file), ZIP inside. */
async function* compressedPacket(inner: AsyncIterable<Buffer>, level: number): AsyncGenerator<Buffer> {
  yield Buffer.from([0x80 | (TAG.compressed << 2) | 3, COMPRESSION.zip]);
  const source = Readable.from(inner, { highWaterMark: 1 });
  const deflate = createDeflateRaw({ level, chunkSize: 256 * 1024 });
  source.on("error", (e) => deflate.destroy(e));
  yield* source.pipe(deflate);
}

async function writeHashed(file: string, chunks: AsyncIterable<Buffer> | Buffer[]): Promise<{ sizeBytes: number; sha256: string }> {
  const sha = createHash("sha256");
  let sizeBytes = 0;
  async function* counted() {
    for await (const chunk of chunks) {
      sha.update(chunk);
      sizeBytes += chunk.length;
      yield chunk;
    }
  }
  await pipeline(Readable.from(counted(), { highWaterMark: 1 }), createWriteStream(file));
  return { sizeBytes, sha256: sha.digest("hex") };
}

/** Flips bits of the byte at `offset` (default: all of them). */
export async function flipByte(file: string, offset: number, mask = 0xff): Promise<void> {
  const handle = await open(file, "r+");
  try {
    const byte = Buffer.alloc(1);
    const { bytesRead } = await handle.read(byte, 0, 1, offset);
    if (bytesRead !== 1) throw new Error(`${file} has no byte at offset ${offset}`);
    byte[0] = (byte[0] ?? 0) ^ mask;
    await handle.write(byte, 0, 1, offset);
  } finally {
    await handle.close();
  }
}

/** Cuts the file to `size` bytes, as an interrupted download would. */
export async function truncateFile(file: string, size: number): Promise<void> {
  await truncate(file, size);
}

/** A plain, unsigned .tar.gz like the payload of a signed archive. */
export async function makeUnsignedArchive(dir: string, version: string, sizeBytes = DEFAULT_SIZE, fileName?: string) {
  const target = path.join(dir, fileName ?? `ks_upgrade_${version}.tar.gz`);
  return { path: target, ...(await writeHashed(target, tarGzPayload(version, sizeBytes))) };
}

/** gzip of a ustar archive: VERSION (the version and a newline), then filler.bin of pseudo-random bytes. */
export async function* tarGzPayload(version: string, sizeBytes: number): AsyncGenerator<Buffer> {
  const versionFile = Buffer.from(`${version}\n`);
  // Tar and gzip overheads (headers, padding, 5 bytes per 64 KiB stored block) are subtracted roughly.
  const filler = Math.max(0, sizeBytes - 3 * 512 - 1024 - 18 - Math.ceil(sizeBytes / 65535) * 5);
  async function* tar() {
    yield tarHeader("VERSION", versionFile.length);
    yield Buffer.concat([versionFile, Buffer.alloc(512 - versionFile.length)]);
    yield tarHeader("filler.bin", filler);
    // AES-CTR over zeros: fast, incompressible like a real compressed archive, same bytes per version.
    const seed = createHash("sha256").update(`filler ${version}`).digest();
    const cipher = createCipheriv("aes-128-ctr", seed.subarray(0, 16), seed.subarray(16, 32));
    const zeros = Buffer.alloc(1024 * 1024);
    for (let left = filler; left > 0; left -= zeros.length) yield cipher.update(zeros.subarray(0, Math.min(left, zeros.length)));
    yield Buffer.alloc((512 - (filler % 512)) % 512 + 1024); // pad the last block, then two empty blocks
  }
  const source = Readable.from(tar(), { highWaterMark: 1 });
  const gzip = createGzip({ level: 0, chunkSize: 256 * 1024 }); // already random: storing is honest and fast
  source.on("error", (e) => gzip.destroy(e));
  yield* source.pipe(gzip);
}

function tarHeader(name: string, size: number): Buffer {
  const h = Buffer.alloc(512);
  h.write(name, 0, "ascii");
  h.write("0000644\0", 100, "ascii");
  h.write("0000000\0", 108, "ascii");
  h.write("0000000\0", 116, "ascii");
  if (size < 8 ** 11) h.write(`${size.toString(8).padStart(11, "0")}\0`, 124, "ascii");
  else {
    h[124] = 0x80; // GNU base-256 for sizes of 8 GiB and more
    h.writeUIntBE(size, 130, 6);
  }
  h.write(`${Math.floor(Date.UTC(2025, 0, 1) / 1000).toString(8).padStart(11, "0")}\0`, 136, "ascii");
  h.write("        ", 148, "ascii");
  h.write("0", 156, "ascii");
  h.write("ustar\0" + "00", 257, "ascii");
  let sum = 0;
  for (const byte of h) sum += byte;
  h.write(`${sum.toString(8).padStart(6, "0")}\0 `, 148, "ascii");
  return h;
}

// Archive intake in one pass: each chunk of the upload is hashed (the file's sha256), written to
// disk and checked by the OpenPGP verifier as it arrives, so the verdict is ready when the last
// byte is and the file is never read back. Memory stays flat whatever the size. A refused file is
// deleted at once and its row says why; only `verified` archives are ever offered for a plan.
import crypto from "node:crypto";
import { once } from "node:events";
import fs from "node:fs";
import path from "node:path";
import { finished } from "node:stream/promises";
import type { Db } from "@/lib/db/client";
import { getConfig } from "@/lib/config";
import { AppError } from "@/lib/errors";
import { parseArchiveName } from "@/lib/domain/archive-name";
import { appendAuditEvent, type Actor } from "@/lib/audit/append-audit-event";
import { verifySignedStream, type VerifyResult } from "@/lib/archives/verify-signature";
import { loadTrustedKeys } from "@/lib/archives/vendor-keys";
import { createProgressReporter, type ProgressReporter } from "@/lib/archives/archive-progress";
import { MAX_DETACHED_SIGNATURE_BYTES } from "@/lib/archives/detached-signature-header";

export const MAX_ARCHIVE_BYTES = 16 * 1024 ** 3;
// Writes queue up to this much while the next chunks are hashed and checked: the disk works in
// parallel with the main thread instead of in turn, at a bounded cost in memory.
const WRITE_BUFFER = 4 * 1024 * 1024;

export interface ArchiveUpload {
  fileName: string;
  /** The file's bytes. Each chunk must be a fresh buffer (web and Node streams give fresh ones). */
  body: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>;
  /** Bytes the uploader announced (Content-Length). */
  declaredBytes?: number;
  /** The uploader's random id under which progress is kept for it to poll (archive-progress.ts). */
  ticket?: string;
  /** The detached signature (.sig or .asc bytes) of a `.tar.gz`; a `.tar.gz.gpg` carries its own. */
  signature?: Buffer;
}

export function archivesDir(): string {
  return path.join(getConfig().dataDir, "archives");
}

type Received = { sizeBytes: bigint; sha256: string };

async function refuse(db: Db, actor: Actor, id: string, code: string, reason: string, files: string[], received?: Received) {
  await Promise.all(files.map((f) => fs.promises.rm(f, { force: true })));
  return db.$transaction(async (tx) => {
    const row = await tx.archive.update({ where: { id }, data: { status: "refused", refusalCode: code, refusalReason: reason, storedPath: null, signaturePath: null, ...received } });
    await appendAuditEvent(tx, { actor, action: "archive-refused", subjectType: "archive", subjectId: id, data: { fileName: row.fileName, code, reason } });
    return row;
  });
}

/** Refusals that need no byte of the file: the name, the announced size, a misplaced signature. */
function checkBeforeReceiving(input: ArchiveUpload) {
  const name = parseArchiveName(input.fileName);
  if (!name.ok) throw new AppError("archive-refused", `Archive name refused: ${name.reason}`);
  if (input.declaredBytes !== undefined && input.declaredBytes > MAX_ARCHIVE_BYTES) {
    throw new AppError("archive-refused", `Archive is ${input.declaredBytes} bytes; the limit is ${MAX_ARCHIVE_BYTES}.`);
  }
  if (input.signature) {
    if (name.role === "signed-archive") {
      throw new AppError("bad-input", `${input.fileName} is a signed archive that carries its own signature: upload it without a detached signature`);
    }
    if (name.role === "signature") {
      throw new AppError("bad-input", `${input.fileName} is itself a detached signature: upload the .tar.gz it signs, with the signature beside it`);
    }
    if (input.signature.length === 0 || input.signature.length > MAX_DETACHED_SIGNATURE_BYTES) {
      throw new AppError("bad-input", `the detached signature is ${input.signature.length} bytes; a signature is between 1 and ${MAX_DETACHED_SIGNATURE_BYTES} bytes`);
    }
  }
  return name;
}

export async function receiveArchive(db: Db, actor: Actor, input: ArchiveUpload) {
  const name = checkBeforeReceiving(input);
  const row = await db.archive.create({ data: { fileName: input.fileName, status: "receiving", uploadedBy: actor.name, version: name.version, kind: name.kind } });
  const progress = createProgressReporter(input.ticket, row.id);
  const result = await intake(db, actor, row.id, input, progress);
  progress.report(result.status === "verified" ? "verified" : "refused", Number(result.sizeBytes), Number(result.sizeBytes), result.refusalReason ?? undefined);
  await progress.flush();
  return result;
}

async function intake(db: Db, actor: Actor, id: string, input: ArchiveUpload, progress: ProgressReporter) {
  await fs.promises.mkdir(archivesDir(), { recursive: true });
  const partial = path.join(archivesDir(), `${id}.partial`);
  // The keys as the upload starts: the signature is checked the moment the data ends.
  const trustedKeys = await loadTrustedKeys(db);
  const upload = receiveTo(partial, input, progress);
  let verdict: VerifyResult | null = null;
  try {
    if (trustedKeys.length > 0) verdict = await verifySignedStream(upload.chunks, { trustedKeys, signature: input.signature });
    // After a refusal, or with nothing to verify against, the rest is still read so that the
    // uploader gets its answer (and the size and hash are known), but no longer stored.
    if (!verdict?.ok) upload.stopWriting();
    await upload.drain();
  } catch (e) {
    // A failed upload (the connection dropped, the disk is full) decides, whatever the verifier
    // said; anything else (an unreadable trusted key) is not the archive's fault: it throws.
    if (!upload.failed()) {
      await upload.close();
      await fs.promises.rm(partial, { force: true });
      throw e;
    }
  }
  const { bytes, failure } = await upload.close();
  if (failure) {
    const reason = failure instanceof AppError ? failure.message : `upload interrupted after ${bytes} bytes: ${failure.message}`;
    return refuse(db, actor, id, "incomplete-upload", reason, [partial]);
  }
  if (input.declaredBytes !== undefined && bytes !== input.declaredBytes) {
    return refuse(db, actor, id, "truncated", `received ${bytes} bytes but ${input.declaredBytes} were announced: the upload is incomplete`, [partial]);
  }
  const received: Received = { sizeBytes: BigInt(bytes), sha256: upload.sha256() };
  if (!verdict) {
    return refuse(db, actor, id, "no-trusted-keys", "No vendor signing key is trusted yet: add the vendor's public key first, then upload again.", [partial], received);
  }
  if (!verdict.ok) return refuse(db, actor, id, verdict.code, verdict.reason, [partial], received);
  const row = await db.archive.findUniqueOrThrow({ where: { id } });
  // The file name stored inside the OpenPGP message is not covered by the signature, so it is only
  // a cross-check: when it names another version than the file, the archive is refused. The
  // appliance's own report after the upgrade is the final check (postcheck).
  if (verdict.version && row.version && verdict.version !== row.version) {
    return refuse(db, actor, id, "version-mismatch", `The file is named for ${row.version} but the name stored inside it says ${verdict.version}: rename nothing; download the archive again from the Support Portal.`, [partial], received);
  }
  const stored = path.join(archivesDir(), `${id}-${input.fileName}`);
  await fs.promises.rename(partial, stored);
  const signaturePath = input.signature ? `${stored}.sig` : null;
  if (signaturePath && input.signature) await fs.promises.writeFile(signaturePath, input.signature);
  const version = row.version ?? verdict.version;
  const result = verdict;
  return db.$transaction(async (tx) => {
    const verified = await tx.archive.update({
      where: { id },
      data: {
        ...received, storedPath: stored, signaturePath,
        status: "verified", version, signerFingerprint: result.signerFingerprint.toUpperCase(), signerUserId: result.signerUserId,
        signedAt: result.signedAt, format: result.format, verifiedAt: new Date(),
      },
    });
    await appendAuditEvent(tx, { actor, action: "archive-added", subjectType: "archive", subjectId: id, data: { fileName: row.fileName, version, sha256: received.sha256, sizeBytes: bytes, signer: verified.signerFingerprint } });
    return verified;
  });
}

/** Web streams are read through their reader (fewer layers than Readable.fromWeb); the rest as iterables. */
function iterate(body: ArchiveUpload["body"]): AsyncIterator<Uint8Array> {
  if (typeof (body as ReadableStream<Uint8Array>).getReader === "function") {
    const reader = (body as ReadableStream<Uint8Array>).getReader();
    return {
      next: async () => {
        const r = await reader.read();
        return r.done ? { done: true, value: undefined } : { done: false, value: r.value };
      },
    };
  }
  return (body as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]();
}

/**
 * The upload as the verifier pulls it: every chunk counted, hashed and queued for the disk on its
 * way through. Whoever pulls (the verifier, then drain) drives the reading, so a slow disk or a
 * slow verifier slows the sender down instead of filling memory.
 */
function receiveTo(partial: string, input: ArchiveUpload, progress: ProgressReporter) {
  const source = iterate(input.body);
  const hash = crypto.createHash("sha256");
  const out = fs.createWriteStream(partial, { highWaterMark: WRITE_BUFFER });
  let bytes = 0;
  let failure: Error | null = null;
  // A write error is thrown at the next chunk (a destroyed stream never emits "drain" again).
  let writeError: Error | null = null;
  out.on("error", (e) => (writeError ??= e));
  let writing = true;
  let ended = false;

  async function next(): Promise<IteratorResult<Buffer, undefined>> {
    if (failure) throw failure;
    if (ended) return { done: true, value: undefined };
    try {
      const r = await source.next();
      if (r.done) {
        ended = true;
        progress.report("verifying", bytes, bytes);
        return { done: true, value: undefined };
      }
      const chunk = Buffer.isBuffer(r.value) ? r.value : Buffer.from(r.value.buffer, r.value.byteOffset, r.value.byteLength);
      bytes += chunk.length;
      if (bytes > MAX_ARCHIVE_BYTES) throw new AppError("archive-refused", `Archive exceeds ${MAX_ARCHIVE_BYTES} bytes.`);
      progress.report("receiving", bytes, input.declaredBytes ?? 0);
      hash.update(chunk);
      if (writing) {
        if (writeError) throw writeError;
        if (!out.write(chunk)) await once(out, "drain"); // rejects on "error"
      }
      return { done: false, value: chunk };
    } catch (e) {
      failure ??= e instanceof Error ? e : new Error(String(e));
      throw failure;
    }
  }

  return {
    /** For the verifier; it never closes the upload (what it leaves is drained). */
    chunks: { [Symbol.asyncIterator]: () => ({ next }) } as AsyncIterable<Buffer>,
    stopWriting() {
      writing = false;
    },
    async drain() {
      while (!(await next()).done) {
        // read to the end
      }
    },
    failed: () => failure !== null,
    sha256: () => hash.digest("hex"),
    /** Flushes the file; a failure of the upload or of the disk is returned, not thrown. */
    async close(): Promise<{ bytes: number; failure: Error | null }> {
      if (!failure) {
        out.end();
        await finished(out).catch((e: unknown) => {
          failure = e instanceof Error ? e : new Error(String(e));
        });
      } else {
        out.destroy();
        await finished(out).catch(() => {});
      }
      return { bytes, failure };
    },
  };
}

export async function listArchives(db: Db) {
  return db.archive.findMany({ orderBy: { createdAt: "desc" }, take: 200 });
}

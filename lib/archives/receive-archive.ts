// Archive intake: the upload streams to disk while it is hashed (never whole in memory), then the
// OpenPGP signature is verified against the trusted vendor keys. A refused file is deleted at once
// and its row says why; only `verified` archives are ever offered for a plan.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { Db } from "@/lib/db/client";
import { getConfig } from "@/lib/config";
import { AppError } from "@/lib/errors";
import { parseArchiveName } from "@/lib/domain/archive-name";
import { appendAuditEvent, type Actor } from "@/lib/audit/append-audit-event";
import { verifySignedArchive } from "@/lib/archives/verify-signature";
import { loadTrustedKeys } from "@/lib/archives/vendor-keys";
import { createProgressReporter, type ProgressReporter } from "@/lib/archives/archive-progress";

export const MAX_ARCHIVE_BYTES = 16 * 1024 ** 3;

export function archivesDir(): string {
  return path.join(getConfig().dataDir, "archives");
}

async function refuse(db: Db, actor: Actor, id: string, code: string, reason: string, files: string[]) {
  await Promise.all(files.map((f) => fs.promises.rm(f, { force: true })));
  return db.$transaction(async (tx) => {
    const row = await tx.archive.update({ where: { id }, data: { status: "refused", refusalCode: code, refusalReason: reason, storedPath: null, signaturePath: null } });
    await appendAuditEvent(tx, { actor, action: "archive-refused", subjectType: "archive", subjectId: id, data: { fileName: row.fileName, code, reason } });
    return row;
  });
}

/** `ticket`: the uploader's random id under which progress is kept for it to poll (archive-progress.ts). */
export async function receiveArchive(db: Db, actor: Actor, input: { fileName: string; body: ReadableStream<Uint8Array> | Readable; declaredBytes?: number; ticket?: string }) {
  const name = parseArchiveName(input.fileName);
  if (!name.ok) throw new AppError("archive-refused", `Archive name refused: ${name.reason}`);
  if (input.declaredBytes !== undefined && input.declaredBytes > MAX_ARCHIVE_BYTES) {
    throw new AppError("archive-refused", `Archive is ${input.declaredBytes} bytes; the limit is ${MAX_ARCHIVE_BYTES}.`);
  }
  const row = await db.archive.create({ data: { fileName: input.fileName, status: "receiving", uploadedBy: actor.name, version: name.version, kind: name.kind } });
  const progress = createProgressReporter(input.ticket, row.id);
  const result = await intake(db, actor, row.id, input, progress);
  progress.report(result.status === "verified" ? "verified" : "refused", Number(result.sizeBytes), Number(result.sizeBytes), result.refusalReason ?? undefined);
  await progress.flush();
  return result;
}

async function intake(db: Db, actor: Actor, id: string, input: { fileName: string; body: ReadableStream<Uint8Array> | Readable; declaredBytes?: number }, progress: ProgressReporter) {
  await fs.promises.mkdir(archivesDir(), { recursive: true });
  const partial = path.join(archivesDir(), `${id}.partial`);
  const hash = crypto.createHash("sha256");
  let bytes = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      bytes += chunk.length;
      progress.report("receiving", bytes, input.declaredBytes ?? 0);
      if (bytes > MAX_ARCHIVE_BYTES) return done(new AppError("archive-refused", `Archive exceeds ${MAX_ARCHIVE_BYTES} bytes.`));
      hash.update(chunk);
      done(null, chunk);
    },
  });
  const source = input.body instanceof Readable ? input.body : Readable.fromWeb(input.body as import("node:stream/web").ReadableStream<Uint8Array>);
  try {
    await pipeline(source, meter, fs.createWriteStream(partial));
  } catch (e) {
    const reason = e instanceof AppError ? e.message : `upload interrupted after ${bytes} bytes: ${(e as Error).message}`;
    return refuse(db, actor, id, "incomplete-upload", reason, [partial]);
  }
  if (input.declaredBytes !== undefined && bytes !== input.declaredBytes) {
    return refuse(db, actor, id, "truncated", `received ${bytes} bytes but ${input.declaredBytes} were announced: the upload is incomplete`, [partial]);
  }
  const sha256 = hash.digest("hex");
  const stored = path.join(archivesDir(), `${id}-${input.fileName}`);
  await fs.promises.rename(partial, stored);
  await db.archive.update({ where: { id }, data: { status: "verifying", sizeBytes: BigInt(bytes), sha256, storedPath: stored } });
  return verifyStoredArchive(db, actor, id, (read, total) => progress.report("verifying", read, total));
}

export async function verifyStoredArchive(db: Db, actor: Actor, id: string, onProgress?: (bytesRead: number, totalBytes: number) => void) {
  const row = await db.archive.findUniqueOrThrow({ where: { id } });
  if (!row.storedPath) throw new AppError("precondition-failed", "Archive has no stored file to verify.");
  const trustedKeys = await loadTrustedKeys(db);
  if (trustedKeys.length === 0) {
    return refuse(db, actor, id, "no-trusted-keys", "No vendor signing key is trusted yet: add the vendor's public key first, then upload again.", [row.storedPath]);
  }
  const result = await verifySignedArchive(row.storedPath, { trustedKeys, onProgress });
  if (!result.ok) return refuse(db, actor, id, result.code, result.reason, [row.storedPath]);
  // The file name stored inside the OpenPGP message is not covered by the signature, so it is only
  // a cross-check: when it names another version than the file, the archive is refused. The
  // appliance's own report after the upgrade is the final check (postcheck).
  if (result.version && row.version && result.version !== row.version) {
    return refuse(db, actor, id, "version-mismatch", `The file is named for ${row.version} but the name stored inside it says ${result.version}: rename nothing; download the archive again from the Support Portal.`, [row.storedPath]);
  }
  const version = row.version ?? result.version;
  return db.$transaction(async (tx) => {
    const verified = await tx.archive.update({
      where: { id },
      data: {
        status: "verified", version, signerFingerprint: result.signerFingerprint.toUpperCase(), signerUserId: result.signerUserId,
        signedAt: result.signedAt, format: result.format, verifiedAt: new Date(),
      },
    });
    await appendAuditEvent(tx, { actor, action: "archive-added", subjectType: "archive", subjectId: id, data: { fileName: row.fileName, version, sha256: row.sha256, sizeBytes: Number(row.sizeBytes), signer: verified.signerFingerprint } });
    return verified;
  });
}

export async function listArchives(db: Db) {
  return db.archive.findMany({ orderBy: { createdAt: "desc" }, take: 200 });
}

// Reading response bodies with limits: JSON answers are small and bounded in size and time; backup
// downloads stream to disk through a hash, land under a temporary name, and appear only when complete.
import type { IncomingMessage } from "node:http";
import { createHash } from "node:crypto";
import { createWriteStream } from "node:fs";
import { rename, rm } from "node:fs/promises";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { AppError } from "@/lib/errors";

const MAX_JSON_BYTES = 8 * 1024 * 1024;

export async function readText(res: IncomingMessage, where: string, timeoutMs: number): Promise<string> {
  const timer = setTimeout(() => res.destroy(new AppError("timeout", `${where}: response body not received within ${timeoutMs} ms`)), timeoutMs);
  try {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of res as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > MAX_JSON_BYTES) throw new AppError("appliance-error", `${where}: response larger than ${MAX_JSON_BYTES} bytes`);
      chunks.push(chunk);
    }
    return Buffer.concat(chunks).toString("utf8");
  } catch (err) {
    throw err instanceof AppError ? err : new AppError("appliance-unreachable", `${where}: response interrupted: ${(err as Error).message}`);
  } finally {
    clearTimeout(timer);
  }
}

export interface DownloadResult {
  bytes: number;
  sha256: string;
}

/**
 * Streams a response to `destPath` (via `destPath.part`); idleTimeoutMs bounds silence, not total time.
 * `onBytes` hears the bytes so far and the announced length (null when not announced).
 */
export async function streamToFile(res: IncomingMessage, destPath: string, where: string, idleTimeoutMs: number, onBytes?: (bytes: number, total: number | null) => void): Promise<DownloadResult> {
  const announced = Number(res.headers["content-length"] ?? NaN);
  const hash = createHash("sha256");
  let bytes = 0;
  const part = `${destPath}.part`;
  let timer = setTimeout(onIdle, idleTimeoutMs);
  function onIdle() {
    res.destroy(new AppError("timeout", `${where}: download stalled for ${idleTimeoutMs} ms after ${bytes} bytes`));
  }
  const tap = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      clearTimeout(timer);
      timer = setTimeout(onIdle, idleTimeoutMs);
      bytes += chunk.length;
      hash.update(chunk);
      onBytes?.(bytes, Number.isFinite(announced) ? announced : null);
      cb(null, chunk);
    },
  });
  try {
    await pipeline(res, tap, createWriteStream(part, { flags: "w", mode: 0o600 }));
    const expected = Number(res.headers["content-length"] ?? NaN);
    if (Number.isFinite(expected) && expected !== bytes) {
      throw new AppError("appliance-unreachable", `${where}: download ended after ${bytes} of ${expected} bytes`);
    }
    await rename(part, destPath);
    return { bytes, sha256: hash.digest("hex") };
  } catch (err) {
    await rm(part, { force: true });
    throw err instanceof AppError ? err : new AppError("appliance-unreachable", `${where}: download interrupted: ${(err as Error).message}`);
  } finally {
    clearTimeout(timer);
  }
}

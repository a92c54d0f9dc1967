// Streams a local file to the appliance over SFTP with many writes in flight (what makes fastPut
// fast), but resumable and abortable, which fastPut is not. Writes are sent in offset order, so a
// dropped connection leaves a contiguous prefix on the appliance and resuming from its size is sound.
import { open } from "node:fs/promises";
import type { SFTPWrapper } from "ssh2";
import { AppError } from "@/lib/errors";
import { abortError } from "./connect-errors";
import { sftpErrorToAppError, sftpStat } from "./sftp-ops";

export interface UploadOptions {
  /** Called at most every ~1 MiB and once at the end; sentBytes counts bytes the appliance acknowledged. */
  onProgress?(sentBytes: number, totalBytes: number): void;
  /** Continue a partial remote file whose size is <= the local size instead of starting over. */
  resume?: boolean;
  signal?: AbortSignal;
  /** Writes in flight; default 64. */
  concurrency?: number;
  /** Bytes per SFTP write; default 32 KiB (ssh2 splits larger writes itself, one at a time). */
  chunkSize?: number;
  /**
   * Awaited before each write is sent, with its size: a rate limiter (bytes per second shared by
   * several uploads) waits here. Without it the loop never awaits anything extra.
   */
  beforeWrite?(bytes: number, signal?: AbortSignal): Promise<void> | void;
}

export interface UploadResult {
  bytes: number;
  /** Offset the transfer started from (0 unless resumed). */
  resumedFrom: number;
}

const READ_BLOCK = 1024 * 1024;
const PROGRESS_EVERY = 1024 * 1024;

export async function uploadOverSftp(
  sftp: SFTPWrapper,
  localPath: string,
  remotePath: string,
  where: string,
  opts: UploadOptions = {},
): Promise<UploadResult> {
  const { signal } = opts;
  if (signal?.aborted) throw abortError(signal);
  const concurrency = Math.max(1, opts.concurrency ?? 64);
  const chunkSize = Math.max(1024, opts.chunkSize ?? 32 * 1024);
  const local = await open(localPath, "r");
  let handle: Buffer | undefined;
  try {
    const total = (await local.stat()).size;
    let start = 0;
    if (opts.resume) {
      const remote = await sftpStat(sftp, remotePath, where);
      // Re-send the last window too: cheap insurance against a server that applied writes out of order.
      if (remote && remote.size <= total) start = Math.max(0, remote.size - concurrency * chunkSize);
    }
    handle = await new Promise<Buffer>((resolve, reject) =>
      sftp.open(remotePath, start > 0 ? "r+" : "w", (err, h) => (err ? reject(sftpErrorToAppError(err, where, remotePath)) : resolve(h))),
    );
    await pumpWrites({ sftp, handle, local, start, total, concurrency, chunkSize, where, remotePath, opts });
    const h = handle;
    handle = undefined;
    await new Promise<void>((resolve, reject) =>
      sftp.close(h, (err) => (err ? reject(sftpErrorToAppError(err, where, remotePath)) : resolve())),
    );
    const after = await sftpStat(sftp, remotePath, where);
    if (!after || after.size !== total) {
      throw new AppError("appliance-error", `${where}: ${remotePath} has ${after?.size ?? "no"} bytes after upload, expected ${total}`);
    }
    opts.onProgress?.(total, total);
    return { bytes: total, resumedFrom: start };
  } finally {
    await local.close();
    if (handle) {
      try {
        sftp.close(handle, () => undefined);
      } catch {
        /* the channel is already gone */
      }
    }
  }
}

interface PumpArgs {
  sftp: SFTPWrapper;
  handle: Buffer;
  local: import("node:fs/promises").FileHandle;
  start: number;
  total: number;
  concurrency: number;
  chunkSize: number;
  where: string;
  remotePath: string;
  opts: UploadOptions;
}

/** Reads ahead in 1 MiB blocks and keeps up to `concurrency` writes unacknowledged. */
function pumpWrites(a: PumpArgs): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let inFlight = 0;
    let acked = a.start;
    let lastReported = -Infinity;
    let failed = false;
    let readDone = a.start >= a.total;
    let wake: (() => void) | null = null;
    const fail = (err: Error) => {
      if (failed) return;
      failed = true;
      a.opts.signal?.removeEventListener("abort", onAbort);
      wake?.();
      reject(err);
    };
    const onAbort = () => fail(abortError(a.opts.signal!));
    a.opts.signal?.addEventListener("abort", onAbort, { once: true });
    const maybeDone = () => {
      if (!failed && readDone && inFlight === 0) {
        a.opts.signal?.removeEventListener("abort", onAbort);
        resolve();
      }
    };

    const send = (buf: Buffer, offset: number) => {
      inFlight++;
      a.sftp.write(a.handle, buf, 0, buf.length, offset, (err) => {
        inFlight--;
        if (err) return fail(sftpErrorToAppError(err, a.where, a.remotePath));
        acked += buf.length;
        if (acked - lastReported >= PROGRESS_EVERY && acked < a.total) {
          lastReported = acked;
          a.opts.onProgress?.(acked, a.total);
        }
        const w = wake;
        wake = null;
        w?.();
        maybeDone();
      });
    };

    void (async () => {
      let pos = a.start;
      try {
        while (pos < a.total && !failed) {
          const len = Math.min(READ_BLOCK, a.total - pos);
          const block = Buffer.allocUnsafe(len);
          const { bytesRead } = await a.local.read(block, 0, len, pos);
          if (bytesRead !== len) throw new AppError("bad-input", `the local file changed size while uploading`);
          for (let off = 0; off < len && !failed; off += a.chunkSize) {
            while (inFlight >= a.concurrency && !failed) await new Promise<void>((r) => (wake = r));
            if (failed) break;
            const chunk = block.subarray(off, Math.min(off + a.chunkSize, len));
            if (a.opts.beforeWrite) {
              await a.opts.beforeWrite(chunk.length, a.opts.signal);
              if (failed) break;
            }
            send(chunk, pos + off);
          }
          pos += len;
        }
        readDone = true;
        maybeDone();
      } catch (err) {
        fail(err as Error);
      }
    })();
  });
}

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
  /** Writes in flight; default as many as keep 2 MiB unacknowledged (16 of the default size). */
  concurrency?: number;
  /**
   * Bytes per SFTP write; default about 128 KiB (32 KiB with `beforeWrite`), sized so each WRITE fills
   * whole SSH channel packets (see writeSizeFor). ssh2 splits a write larger than the server's limit
   * itself, one piece at a time.
   */
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
/** Bytes kept unacknowledged by default: the channel window OpenSSH's sshd (and ssh2) grant; more only queues. */
const IN_FLIGHT_BYTES = 2 * 1024 * 1024;
/**
 * SSH channel packets one WRITE spans by default. Each SFTP request costs CPU on both ends whatever
 * its size (ssh2's request bookkeeping here, a disk write and a status reply there), so fewer, larger
 * ones go faster: 4 packets halved the CPU per byte of both the console and the simulator against
 * 32 KiB writes (scripts/bench/distribution.ts, docs/PERFORMANCE.md).
 */
const PACKETS_PER_WRITE = 4;
/** OpenSSH's and ssh2's channel packet size, for a channel that does not tell its own. */
const DEFAULT_PACKET_SIZE = 32 * 1024;
/** The largest WRITE ssh2 sends whole to a server it does not recognise as OpenSSH (34000 - 2048). */
const SMALLEST_MAX_WRITE = 31_952;

/**
 * Data bytes per WRITE so that the whole SFTP packet (length, type, id, handle, offset, data length,
 * data) is exactly `packets` channel packets: a 32 KiB write would need a second, 29-byte packet,
 * encrypted, sent and acknowledged like a full one. Never more than `maxWriteLen`, what ssh2 sends as
 * one request.
 */
export function writeSizeFor(packetSize: number, maxWriteLen: number, handleLength: number, packets = PACKETS_PER_WRITE): number {
  const header = 4 + 1 + 4 + 4 + handleLength + 8 + 4;
  for (let k = packets; k >= 1; k--) {
    const size = k * packetSize - header;
    if (size > 0 && size <= maxWriteLen) return size;
  }
  return maxWriteLen;
}

/**
 * What ssh2 1.17 (pinned) knows of the channel but does not type: the largest WRITE it sends whole
 * (after the server's limits@openssh.com answer) and the server's channel packet size. null where
 * a field is missing, and the upload then assumes the least.
 */
export function sftpChannelLimits(sftp: SFTPWrapper): { maxWriteLen: number | null; packetSize: number } {
  const raw = sftp as unknown as { _maxWriteLen?: unknown; outgoing?: { packetSize?: unknown } };
  const maxWriteLen = typeof raw._maxWriteLen === "number" && raw._maxWriteLen > 0 ? raw._maxWriteLen : null;
  const packetSize = typeof raw.outgoing?.packetSize === "number" && raw.outgoing.packetSize > 0 ? raw.outgoing.packetSize : DEFAULT_PACKET_SIZE;
  return { maxWriteLen, packetSize };
}

export async function uploadOverSftp(
  sftp: SFTPWrapper,
  localPath: string,
  remotePath: string,
  where: string,
  opts: UploadOptions = {},
): Promise<UploadResult> {
  const { signal } = opts;
  if (signal?.aborted) throw abortError(signal);
  const limits = sftpChannelLimits(sftp);
  // A rate-limited upload is not short of CPU and its limiter paces whole writes: one packet each
  // keeps the pace even (a 128 KiB write at 1 MB/s would go out in 130 ms lumps).
  const packets = opts.beforeWrite ? 1 : PACKETS_PER_WRITE;
  // Before the handle exists (its length is part of the header) the size is known to within a few bytes: enough to rewind.
  const roughChunk = Math.max(1024, opts.chunkSize ?? writeSizeFor(limits.packetSize, limits.maxWriteLen ?? SMALLEST_MAX_WRITE, 0, packets));
  const concurrency = Math.max(1, opts.concurrency ?? Math.round(IN_FLIGHT_BYTES / roughChunk));
  const local = await open(localPath, "r");
  let handle: Buffer | undefined;
  try {
    const total = (await local.stat()).size;
    let start = 0;
    if (opts.resume) {
      const remote = await sftpStat(sftp, remotePath, where);
      // Re-send the last window too: cheap insurance against a server that applied writes out of order.
      if (remote && remote.size <= total) start = Math.max(0, remote.size - concurrency * roughChunk);
    }
    handle = await new Promise<Buffer>((resolve, reject) =>
      sftp.open(remotePath, start > 0 ? "r+" : "w", (err, h) => (err ? reject(sftpErrorToAppError(err, where, remotePath)) : resolve(h))),
    );
    const chunkSize = Math.max(1024, opts.chunkSize ?? writeSizeFor(limits.packetSize, limits.maxWriteLen ?? SMALLEST_MAX_WRITE, handle.length, packets));
    // ssh2 copies a write it sends whole into its own packet before write() returns, so the read
    // buffer can be refilled at once; a write it splits keeps a reference to the rest until later.
    const reuseBlocks = limits.maxWriteLen !== null && chunkSize <= limits.maxWriteLen;
    await pumpWrites({ sftp, handle, local, start, total, concurrency, chunkSize, reuseBlocks, where, remotePath, opts });
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
  /** Two read buffers in turn instead of a new one per block (fewer allocations, less GC). */
  reuseBlocks: boolean;
  where: string;
  remotePath: string;
  opts: UploadOptions;
}

/** Reads ahead in 1 MiB blocks (the next while this one is sent) and keeps up to `concurrency` writes unacknowledged. */
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

    // Whole writes per block: a block of 1 MiB would end in a write of a few hundred bytes.
    const blockSize = a.chunkSize * Math.max(1, Math.floor(READ_BLOCK / a.chunkSize));
    const spare = a.reuseBlocks ? [Buffer.allocUnsafe(blockSize), Buffer.allocUnsafe(blockSize)] : [];
    const readBlock = async (pos: number, turn: number): Promise<Buffer> => {
      const len = Math.min(blockSize, a.total - pos);
      const buf = a.reuseBlocks ? spare[turn % 2]!.subarray(0, len) : Buffer.allocUnsafe(len);
      const { bytesRead } = await a.local.read(buf, 0, len, pos);
      if (bytesRead !== len) throw new AppError("bad-input", `the local file changed size while uploading`);
      return buf;
    };

    void (async () => {
      let pos = a.start;
      let turn = 0;
      let next: Promise<Buffer> | null = pos < a.total ? readBlock(pos, turn) : null;
      try {
        while (next && !failed) {
          const block = await next;
          const len = block.length;
          // Read the next block into the other buffer while this one goes out.
          next = pos + len < a.total ? readBlock(pos + len, ++turn) : null;
          next?.catch(() => undefined);
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
        if (next) await next.catch(() => undefined);
        readDone = true;
        maybeDone();
      } catch (err) {
        fail(err as Error);
      }
    })();
  });
}

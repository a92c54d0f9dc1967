// Streams a compressed data packet's body through a decompressor with backpressure, so memory
// stays flat. ZIP and ZLIB use node's zlib (on the thread pool, in parallel with our hashing);
// BZIP2 uses the system's bzip2 program because node has no streaming bzip2.

import { spawn } from "node:child_process";
import { Readable, type Transform } from "node:stream";
import { createInflate, createInflateRaw } from "node:zlib";
import { COMPRESSION, compressionName } from "@/lib/archives/openpgp/algorithms";
import { malformed, truncated, VerifyFailure } from "@/lib/archives/openpgp/verify-failure";

// 1 MiB output chunks make per-chunk overhead vanish at GB sizes; a 4-chunk buffer lets zlib (on
// the thread pool) keep inflating while the main thread hashes, instead of taking turns.
const OUTPUT_CHUNK = 1024 * 1024;
// highWaterMark is a stream option zlib passes on; its type does not list it.
const STREAM_OPTIONS = { chunkSize: OUTPUT_CHUNK, highWaterMark: 4 * OUTPUT_CHUNK };

export function decompress(algo: number, body: AsyncIterable<Buffer>): AsyncIterable<Buffer> {
  if (algo === COMPRESSION.none) return body;
  if (algo === COMPRESSION.zip) return inflate(createInflateRaw(STREAM_OPTIONS), body);
  if (algo === COMPRESSION.zlib) return inflate(createInflate(STREAM_OPTIONS), body);
  if (algo === COMPRESSION.bzip2) return bunzip2(body);
  throw new VerifyFailure("unsupported", `the archive uses ${compressionName(algo)}, which OpenPGP does not define`);
}

async function* inflate(inflater: Transform & { bytesWritten: number }, body: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  let fed = 0;
  let stopped = false;
  // Feeds the inflater; one chunk may wait in zlib while the next is read. A chunk is not pulled
  // before zlib has consumed the one two back: the reader reuses its buffers (file-chunks.ts).
  const feed = async () => {
    let previous: Promise<void> = Promise.resolve();
    for await (const chunk of body) {
      if (stopped || inflater.destroyed) return;
      fed += chunk.length;
      const consumed = new Promise<void>((resolve) => inflater.write(chunk, () => resolve()));
      await previous;
      previous = consumed;
    }
    await previous;
    if (!inflater.destroyed) inflater.end();
  };
  feed().catch((e: unknown) => inflater.destroy(e as Error));
  try {
    yield* inflater;
  } catch (e) {
    throw zlibFailure(e);
  } finally {
    stopped = true;
    inflater.destroy();
  }
  // zlib stops at the end of the deflate stream and ignores what follows: refuse such bytes.
  if (fed !== inflater.bytesWritten) throw malformed("there are bytes after the end of the compressed data");
}

function zlibFailure(e: unknown): Error {
  if (e instanceof VerifyFailure) return e;
  const err = e as NodeJS.ErrnoException;
  if (err.code === "Z_BUF_ERROR") return truncated("the compressed data");
  return malformed(`the compressed data is corrupt (${err.message})`);
}

async function* bunzip2(body: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  const child = spawn("bzip2", ["-dc"], { stdio: ["pipe", "pipe", "pipe"] });
  const spawned = new Promise<void>((resolve, reject) => {
    child.once("spawn", resolve);
    child.once("error", reject);
  });
  try {
    await spawned;
  } catch {
    throw new VerifyFailure("unsupported", "the archive is BZIP2-compressed and this machine has no bzip2 program to stream it");
  }
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => {
    if (stderr.length < 4096) stderr += d.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once("close", resolve));
  // Copies: the pipe to bzip2 holds chunks after we pull on, and the reader reuses its buffers.
  const copies = async function* () {
    for await (const chunk of body) yield Buffer.from(chunk);
  };
  const source = Readable.from(copies(), { highWaterMark: 1 });
  let sourceError: unknown = null;
  source.on("error", (e) => {
    sourceError = e;
    child.stdin.destroy();
  });
  child.stdin.on("error", () => {}); // EPIPE when bzip2 stops early: its exit status tells why
  source.pipe(child.stdin);
  try {
    yield* child.stdout;
  } finally {
    source.destroy();
    if (child.exitCode === null) child.kill();
  }
  const code = await exited;
  if (sourceError) throw sourceError;
  if (code !== 0 || stderr.trim() !== "") {
    if (/end of file|unexpected end/i.test(stderr)) throw truncated("the compressed data");
    throw malformed(`the BZIP2 data is corrupt (bzip2: ${stderr.trim() || `exit ${code}`})`);
  }
}

// Pull-based reading over a stream of chunks. Only the current chunk is held, so a packet reader
// built on it uses constant memory however large the file; large bodies pass through as slices,
// valid only until the consumer pulls again (see file-chunks.ts).

import { truncated } from "@/lib/archives/openpgp/verify-failure";

const EMPTY = Buffer.alloc(0);

export class ByteReader {
  private chunk: Buffer = EMPTY;
  private pos = 0;
  private ended = false;
  private readonly source: AsyncIterator<Uint8Array>;

  constructor(source: AsyncIterable<Uint8Array>) {
    this.source = source[Symbol.asyncIterator]();
  }

  /** Makes sure unread bytes are buffered; false at the end of the stream. */
  private async fill(): Promise<boolean> {
    while (this.pos >= this.chunk.length) {
      if (this.ended) return false;
      const next = await this.source.next();
      if (next.done) {
        this.ended = true;
        return false;
      }
      const value = next.value;
      this.chunk = Buffer.isBuffer(value) ? value : Buffer.from(value.buffer, value.byteOffset, value.byteLength);
      this.pos = 0;
    }
    return true;
  }

  /** Stops the source early (e.g. on a refusal) so decompressors and child processes end now. */
  async close(): Promise<void> {
    this.ended = true;
    await this.source.return?.();
  }

  async atEnd(): Promise<boolean> {
    return !(await this.fill());
  }

  /** The next byte without consuming it, or null at the end of the stream. */
  async peekByte(): Promise<number | null> {
    if (!(await this.fill())) return null;
    return this.chunk[this.pos] ?? null;
  }

  /** The next byte, or null at a clean end of stream. */
  async readByteOrEnd(): Promise<number | null> {
    if (!(await this.fill())) return null;
    return this.chunk[this.pos++] ?? null;
  }

  async readByte(what: string): Promise<number> {
    const b = await this.readByteOrEnd();
    if (b === null) throw truncated(what);
    return b;
  }

  /** Exactly n bytes, as a copy: the source may reuse its buffers. `what` names them if the stream ends early. */
  async readExact(n: number, what: string): Promise<Buffer> {
    if (!(await this.fill())) {
      if (n === 0) return EMPTY;
      throw truncated(what);
    }
    if (this.chunk.length - this.pos >= n) {
      const out = Buffer.from(this.chunk.subarray(this.pos, this.pos + n));
      this.pos += n;
      return out;
    }
    const parts: Buffer[] = [];
    let missing = n;
    for await (const part of this.take(n, what)) {
      parts.push(part);
      missing -= part.length;
    }
    if (missing !== 0) throw truncated(what);
    return Buffer.concat(parts, n);
  }

  /** Yields the next n bytes as slices of the underlying chunks. */
  async *take(n: number, what: string): AsyncGenerator<Buffer> {
    let left = n;
    while (left > 0) {
      if (!(await this.fill())) throw truncated(what);
      const size = Math.min(left, this.chunk.length - this.pos);
      const slice = this.chunk.subarray(this.pos, this.pos + size);
      this.pos += size;
      left -= size;
      yield slice;
    }
  }

  /** Yields everything up to the end of the stream. */
  async *rest(): AsyncGenerator<Buffer> {
    while (await this.fill()) {
      const slice = this.chunk.subarray(this.pos);
      this.pos = this.chunk.length;
      yield slice;
    }
  }
}

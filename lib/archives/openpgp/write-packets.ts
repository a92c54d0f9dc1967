// Writes the packets of a signed message, the mirror of read-message.ts. Used to make test and
// simulator archives of any size without gpg: data streams through in partial-length chunks.

export const PARTIAL_CHUNK_BITS = 20; // 1 MiB parts: few headers, bounded memory

/** A new-format header for a body of known length (RFC 9580 4.2.1). */
export function packetHeader(tag: number, length: number): Buffer {
  const ctb = 0xc0 | tag;
  if (length < 192) return Buffer.from([ctb, length]);
  if (length < 8384) {
    const n = length - 192;
    return Buffer.from([ctb, (n >> 8) + 192, n & 0xff]);
  }
  const out = Buffer.alloc(6);
  out[0] = ctb;
  out[1] = 0xff;
  out.writeUInt32BE(length, 2);
  return out;
}

export function packet(tag: number, body: Buffer): Buffer {
  return Buffer.concat([packetHeader(tag, body.length), body]);
}

export function onePassBody(sigType: number, hashAlgo: number, pubAlgo: number, keyId: Buffer): Buffer {
  return Buffer.concat([Buffer.from([3, sigType, hashAlgo, pubAlgo]), keyId, Buffer.from([1])]);
}

/** The start of a literal data body: binary format, file name, date. */
export function literalPrefix(fileName: string, date: Date): Buffer {
  const name = Buffer.from(fileName, "utf8");
  if (name.length > 255) throw new Error("a literal packet's file name has at most 255 bytes");
  const out = Buffer.alloc(2 + name.length + 4);
  out[0] = 0x62; // 'b'
  out[1] = name.length;
  name.copy(out, 2);
  out.writeUInt32BE(Math.floor(date.getTime() / 1000), 2 + name.length);
  return out;
}

/**
 * Frames a body of unknown length as partial chunks of 2^PARTIAL_CHUNK_BITS bytes and a final
 * fixed-length part. Holds at most one chunk.
 */
export async function* partialBodyPacket(tag: number, body: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  const size = 1 << PARTIAL_CHUNK_BITS;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let first = true;
  for await (const chunk of body) {
    pending.push(chunk);
    pendingBytes += chunk.length;
    while (pendingBytes >= size) {
      const all = pending.length === 1 ? (pending[0] as Buffer) : Buffer.concat(pending, pendingBytes);
      const lengthOctet = Buffer.from([224 + PARTIAL_CHUNK_BITS]);
      yield first ? Buffer.concat([Buffer.from([0xc0 | tag]), lengthOctet]) : lengthOctet;
      first = false;
      yield all.subarray(0, size);
      pending = [all.subarray(size)];
      pendingBytes -= size;
    }
  }
  const last = Buffer.concat(pending, pendingBytes);
  const header = packetHeader(tag, last.length);
  yield first ? header : header.subarray(1); // a continuation length has no tag octet
  yield last;
}

/** An MPI: big-endian bytes without leading zeros, after their exact bit count. */
export function mpi(value: Uint8Array): Buffer {
  let start = 0;
  while (start < value.length && value[start] === 0) start++;
  const bytes = Buffer.from(value.subarray(start));
  const bits = bytes.length === 0 ? 0 : (bytes.length - 1) * 8 + (32 - Math.clz32(bytes[0] ?? 0));
  const head = Buffer.alloc(2);
  head.writeUInt16BE(bits);
  return Buffer.concat([head, bytes]);
}

// ASCII armor (RFC 9580 6.2), decoded as a stream so an armored archive needs no more memory than
// a binary one. The CRC24 line is ignored, as RFC 9580 asks: the signature protects the content.

import { malformed } from "@/lib/archives/openpgp/verify-failure";

export interface OpenPgpInput {
  /** "MESSAGE", "SIGNATURE", "PUBLIC KEY BLOCK", ... for armored input; null for binary. */
  armor: string | null;
  data: AsyncIterable<Buffer>;
}

const MAX_HEADER = 64 * 1024;
const BEGIN = /^\s*-----BEGIN PGP ([A-Z ,/0-9]+)-----[ \t]*\r?\n/;

/** Looks at the start of the input and returns the binary OpenPGP stream within. */
export async function openPgpInput(source: AsyncIterable<Buffer>): Promise<OpenPgpInput> {
  const it = source[Symbol.asyncIterator]();
  let head = Buffer.alloc(0);
  let ended = false;
  // Enough to see the armor line and its headers (or to know it is binary).
  while (!ended && head.length < MAX_HEADER && !/\n[ \t]*\r?\n/.test(head.toString("latin1"))) {
    const next = await it.next();
    if (next.done) ended = true;
    else head = Buffer.concat([head, next.value]);
    if (head.length > 0 && !looksLikeText(head[0] ?? 0)) break;
  }
  const rest = async function* (first: Buffer) {
    if (first.length > 0) yield first;
    for (;;) {
      const next = await it.next();
      if (next.done) return;
      yield next.value;
    }
  };
  const text = head.toString("latin1");
  const begin = BEGIN.exec(text);
  if (!begin) return { armor: null, data: rest(head) };

  const blank = /\n[ \t]*\r?\n/.exec(text.slice(begin[0].length - 1));
  if (!blank) throw malformed("the armor header does not end with a blank line");
  const bodyStart = begin[0].length - 1 + blank.index + blank[0].length;
  return { armor: begin[1] ?? "", data: decodeBase64Lines(rest(head.subarray(bodyStart))) };
}

function looksLikeText(byte: number): boolean {
  return byte === 0x2d || byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d;
}

const PIECE = 64 * 1024; // strings this small die young in V8; 1 MiB ones would pile up
const NOT_DIGITS = /[^A-Za-z0-9+/=]/g;

/**
 * Base64 body lines until the line that starts with `=` (the CRC) or `-` (the END line), decoded
 * with native string operations in small pieces: armored archives can be GBs. Characters outside
 * base64 are skipped, as gpg does; the signature, not the armor, protects the data.
 */
async function* decodeBase64Lines(chunks: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  let atLineStart = true;
  let pending = ""; // base64 digits short of a group of 4
  let padded = false;
  let ended = false;
  for await (const chunk of chunks) {
    for (let offset = 0; offset < chunk.length && !ended; offset += PIECE) {
      const piece = chunk.subarray(offset, offset + PIECE);
      let end = piece.length;
      if (atLineStart && (piece[0] === 0x3d || piece[0] === 0x2d)) end = 0;
      else {
        const crc = piece.indexOf("\n=");
        const dash = piece.indexOf("\n-");
        const marker = crc < 0 ? dash : dash < 0 ? crc : Math.min(crc, dash);
        if (marker >= 0) end = marker + 1;
      }
      ended = end < piece.length;
      atLineStart = piece[piece.length - 1] === 0x0a;
      const out = decodeDigits(piece.toString("latin1", 0, end));
      if (out) yield out;
    }
    if (ended) break;
  }
  if (!ended) throw malformed("the armored data ends without its -----END line");
  if (pending.length > 0) throw malformed("the armored data is not a whole number of base64 groups");

  function decodeDigits(text: string): Buffer | null {
    let digits = text.replaceAll("\n", "");
    if (digits.includes("\r")) digits = digits.replaceAll("\r", "");
    let decoded = decodeGroups(pending + digits);
    // Node skips what is not base64, so a short result means such characters: drop them, redo.
    if (decoded.out && decoded.out.length !== decoded.expected) {
      digits = digits.replace(NOT_DIGITS, "");
      decoded = decodeGroups(pending + digits);
    }
    if (digits.length > 0 && padded) throw malformed("the armored data continues after its base64 padding");
    const pad = digits.indexOf("=");
    if (pad >= 0) {
      if (!/^=*$/.test(digits.slice(pad))) throw malformed("the armored data has base64 padding in the middle");
      padded = true;
    }
    pending = decoded.rest;
    return decoded.out;
  }
}

function decodeGroups(digits: string): { out: Buffer | null; expected: number; rest: string } {
  const usable = digits.length - (digits.length % 4);
  if (usable === 0) return { out: null, expected: 0, rest: digits };
  const groups = digits.slice(0, usable);
  const pads = groups.endsWith("==") ? 2 : groups.endsWith("=") ? 1 : 0;
  return { out: Buffer.from(groups, "base64"), expected: (usable / 4) * 3 - pads, rest: digits.slice(usable) };
}

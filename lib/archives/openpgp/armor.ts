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
const NOT_BASE64 = /[^A-Za-z0-9+/=]/;

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

/**
 * Base64 body lines until the `=CRC` or `-----END` line, decoded in multiples of 4 characters.
 * Works on whole chunks (one regex pass each), not line by line: armored archives can be GBs.
 */
async function* decodeBase64Lines(chunks: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  let carry = ""; // the unfinished last line of the previous chunk
  let midLine = false; // carry's start was already handled as body: not a line start
  let pending = ""; // base64 characters not yet forming a multiple of 4
  let padded = false;
  let ended = false;
  const take = (body: string) => {
    const cleaned = body.replace(/[\r\n \t]/g, "");
    if (NOT_BASE64.test(cleaned)) throw malformed("the armored data contains characters that are not base64");
    if (cleaned.length === 0) return;
    if (padded) throw malformed("the armored data continues after its base64 padding");
    const pad = cleaned.indexOf("=");
    if (pad >= 0) {
      if (!/^=*$/.test(cleaned.slice(pad))) throw malformed("the armored data has base64 padding in the middle");
      padded = true;
    }
    pending += cleaned;
  };
  const process = (text: string, final: boolean): Buffer | null => {
    // A line whose first visible character is '=' (the CRC) or '-' (the END line) ends the data.
    const marker = /(^|\n)[ \t]*[=-]/g;
    let stop: RegExpExecArray | null;
    while ((stop = marker.exec(text)) && stop.index === 0 && stop[1] === "" && midLine) marker.lastIndex = 1;
    let body = text;
    if (stop) {
      body = text.slice(0, stop.index);
      ended = true;
    } else if (!final) {
      const nl = text.lastIndexOf("\n");
      const lineStart = nl >= 0 ? nl + 1 : midLine ? -1 : 0;
      // Keep a short unfinished line for the next chunk; a very long one is body data already.
      if (lineStart >= 0 && text.length - lineStart < MAX_HEADER) {
        carry = text.slice(lineStart);
        body = text.slice(0, lineStart);
        midLine = false;
      } else {
        carry = "";
        midLine = true;
      }
    }
    take(body);
    const usable = pending.length - (pending.length % 4);
    if (usable === 0) return null;
    const out = Buffer.from(pending.slice(0, usable), "base64");
    pending = pending.slice(usable);
    return out;
  };
  for await (const chunk of chunks) {
    const text = carry + chunk.toString("latin1");
    carry = "";
    const out = process(text, false);
    if (out) yield out;
    if (ended) break;
  }
  if (!ended) {
    const out = process(carry, true);
    if (out) yield out;
  }
  if (!ended) throw malformed("the armored data ends without its -----END line");
  if (pending.length > 0) throw malformed("the armored data is not a whole number of base64 groups");
}

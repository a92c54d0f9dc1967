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

/** Base64 body lines until the `=CRC` or `-----END` line; decodes in multiples of 4 characters. */
async function* decodeBase64Lines(lines: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  let atLineStart = true;
  let pending = ""; // base64 characters not yet forming a multiple of 4
  let skipLine = false; // inside the CRC line
  let padded = false;
  let ended = false;
  for await (const chunk of lines) {
    const text = chunk.toString("latin1");
    let i = 0;
    let body = "";
    while (i < text.length && !ended) {
      const nl = text.indexOf("\n", i);
      const end = nl < 0 ? text.length : nl;
      let line = text.slice(i, end);
      if (atLineStart) {
        const first = line.trimStart()[0];
        if (first === "-") ended = true;
        else if (first === "=") skipLine = true; // the optional CRC24 line
      }
      if (!ended && !skipLine) {
        line = line.replace(/[\r \t]/g, "");
        if (NOT_BASE64.test(line)) throw malformed("the armored data contains characters that are not base64");
        if (padded && line.length > 0) throw malformed("the armored data continues after its base64 padding");
        if (line.includes("=")) {
          if (!/^[^=]*=*$/.test(line)) throw malformed("the armored data has base64 padding in the middle");
          padded = true;
        }
        body += line;
      }
      if (nl >= 0) {
        atLineStart = true;
        skipLine = false;
      } else atLineStart = false;
      i = end + 1;
    }
    pending += body;
    const usable = pending.length - (pending.length % 4);
    if (usable > 0) {
      yield Buffer.from(pending.slice(0, usable), "base64");
      pending = pending.slice(usable);
    }
    if (ended) break;
  }
  if (!ended) throw malformed("the armored data ends without its -----END line");
  if (pending.length > 0) throw malformed("the armored data is not a whole number of base64 groups");
}

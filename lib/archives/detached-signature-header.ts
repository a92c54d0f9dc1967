// The detached signature of a `.tar.gz` upload travels in a request header, base64-encoded: it is a
// few hundred bytes, and known before the first byte of the archive, so the archive can be
// checked as it arrives (receive-archive.ts). The upload panel sets it; scripts may too.
import { AppError } from "@/lib/errors";

export const DETACHED_SIGNATURE_HEADER = "x-detached-signature";
/** A detached signature is a few hundred bytes, about 1 KiB armored. The bound keeps the header
 *  well inside Node's 16 KiB limit for all of a request's headers. */
export const MAX_DETACHED_SIGNATURE_BYTES = 8 * 1024;

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** The signature's bytes, or undefined when the header is absent or empty. */
export function parseDetachedSignatureHeader(value: string | null | undefined): Buffer | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  const bytes = text.length % 4 === 0 && BASE64.test(text) ? Buffer.from(text, "base64") : null;
  if (!bytes || bytes.length > MAX_DETACHED_SIGNATURE_BYTES) {
    throw new AppError(
      "bad-input",
      `${DETACHED_SIGNATURE_HEADER}: the signature file's bytes in base64 (at most ${MAX_DETACHED_SIGNATURE_BYTES} bytes), not ${JSON.stringify(text.slice(0, 40))}${text.length > 40 ? "..." : ""}`,
    );
  }
  return bytes;
}

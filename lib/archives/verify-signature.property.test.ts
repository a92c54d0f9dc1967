// Random corruption never yields a wrong "ok" and never an exception. One honest exception, from
// OpenPGP itself: a v4 signature does not cover the literal packet's format, file name and date,
// nor deflate's framing (padding bits, equivalent back-references), so a change there may still
// verify: the signed data, signer and time must then be exactly those of the original.

import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifySignedArchive, type VerifyResult } from "@/lib/archives/verify-signature";
import { keyPath, makeSignedArchive, tarGzPayload } from "@/simulator/archives";

const VERSION = "2.11.0+777";
const SIZE = 2048;
// A deeper search than CI's: ARCHIVE_PROPERTY_RUNS=5000 npx vitest run lib/archives/verify-signature.property
const RUNS = Number(process.env.ARCHIVE_PROPERTY_RUNS ?? 150);
const TIMEOUT_MS = 60_000 + RUNS * 50;
let dir: string;
let trustedKeys: string[];
let payload: Buffer;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "verify-prop-"));
  trustedKeys = [await readFile(keyPath("test-vendor", "pub"), "utf8")];
  const chunks: Buffer[] = [];
  for await (const chunk of tarGzPayload(VERSION, SIZE)) chunks.push(chunk);
  payload = Buffer.concat(chunks);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

interface Fixture {
  bytes: Buffer;
  original: VerifyResult;
  /** Where the signed data lies verbatim in the file (null when compressed): every byte of it is signed. */
  dataStart: number | null;
  signaturePath?: string;
}

type Variant = "uncompressed" | "compressed" | "deflated" | "detached";

async function fixture(variant: Variant): Promise<Fixture> {
  const format = variant === "deflated" ? "compressed" : variant;
  const compressionLevel = variant === "deflated" ? 6 : 0;
  const made = await makeSignedArchive({ dir, version: VERSION, sizeBytes: SIZE, format, compressionLevel, fileName: `orig-${variant}` });
  const bytes = await readFile(made.path);
  const original = await verifySignedArchive(made.path, { trustedKeys, signaturePath: made.signaturePath });
  expect(original.ok).toBe(true);
  // Stored (level 0) deflate keeps the data verbatim in the file; level 6 does not.
  const dataStart = variant === "deflated" ? null : bytes.indexOf(payload);
  expect(dataStart).not.toBe(-1);
  return { bytes, original, dataStart, signaturePath: made.signaturePath };
}

let runs = 0;
async function verifyBytes(bytes: Buffer, fx: Fixture): Promise<VerifyResult> {
  const file = path.join(dir, `mutant-${++runs}`);
  await writeFile(file, bytes);
  try {
    return await verifySignedArchive(file, { trustedKeys, signaturePath: fx.signaturePath });
  } finally {
    await rm(file, { force: true });
  }
}

/** An ok result for a mutant must be the original's, apart from the unsigned file name. */
function sameSignedContent(result: VerifyResult, original: VerifyResult) {
  if (!result.ok || !original.ok) return;
  const { literalFileName: _a, version: _b, ...rest } = result;
  const { literalFileName: _c, version: _d, ...want } = original;
  expect(rest).toEqual(want);
}

describe.each(["uncompressed", "compressed", "deflated", "detached"] as const)("[F8] corrupted %s archives", (variant) => {
  let fx: Fixture;
  beforeAll(async () => {
    fx = await fixture(variant);
  });

  it("[F8] never verify when a byte changes, unless outside what is signed", async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.integer({ min: 1, max: 255 }), async (at, xor) => {
        const offset = at % fx.bytes.length;
        const mutant = Buffer.from(fx.bytes);
        mutant[offset] = (mutant[offset] ?? 0) ^ xor;
        const result = await verifyBytes(mutant, fx);
        expect(typeof result.ok).toBe("boolean");
        if (!result.ok) return;
        // Only bytes before the signed data (packet framing, the literal header) may be unsigned;
        // deflated, the data is not visible in the file, and the signer and digest must still agree.
        expect(variant).not.toBe("detached");
        if (fx.dataStart !== null) expect(offset).toBeLessThan(fx.dataStart);
        sameSignedContent(result, fx.original);
      }),
      { numRuns: RUNS },
    );
  }, TIMEOUT_MS);

  it("[F8] never verify when cut short, and report truncation or malformation", async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(), async (at) => {
        const length = at % fx.bytes.length;
        const result = await verifyBytes(fx.bytes.subarray(0, length), fx);
        expect(result.ok).toBe(false);
        if (!result.ok && variant !== "detached" && length > 0) expect(["truncated", "malformed"]).toContain(result.code);
      }),
      { numRuns: Math.ceil(RUNS / 2) },
    );
  }, TIMEOUT_MS);
});

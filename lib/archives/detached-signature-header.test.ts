import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { MAX_DETACHED_SIGNATURE_BYTES, parseDetachedSignatureHeader } from "@/lib/archives/detached-signature-header";
import { AppError } from "@/lib/errors";

describe("parseDetachedSignatureHeader", () => {
  it("decodes the signature's bytes, of any length up to the limit", () => {
    for (const n of [1, 2, 3, 310, 566, MAX_DETACHED_SIGNATURE_BYTES]) {
      const bytes = randomBytes(n);
      expect(parseDetachedSignatureHeader(bytes.toString("base64"))!.equals(bytes)).toBe(true);
      expect(parseDetachedSignatureHeader(` ${bytes.toString("base64")}\t`)!.equals(bytes)).toBe(true);
    }
  });

  it("means no signature when the header is absent or blank", () => {
    for (const value of [null, undefined, "", "   "]) expect(parseDetachedSignatureHeader(value)).toBeUndefined();
  });

  it.each([
    ["too long", randomBytes(MAX_DETACHED_SIGNATURE_BYTES + 1).toString("base64")],
    ["not base64", "-----BEGIN PGP SIGNATURE-----"],
    ["base64url", Buffer.from([0xfb, 0xff, 0xfe]).toString("base64url")],
    ["a digit short", "QUJD" + "QUI"],
    ["padding in the middle", "QQ==QUJD"],
  ])("refuses a value %s, naming the header", (_what, value) => {
    let error: unknown = null;
    try {
      parseDetachedSignatureHeader(value);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe("bad-input");
    expect((error as AppError).message).toMatch(/^x-detached-signature: /);
  });
});

import { describe, expect, it } from "vitest";
import { parseMakeArchiveArgs, parseSize } from "@/scripts/make-archive";

describe("make-archive command line", () => {
  it.each([
    ["64KiB", 65_536],
    ["2GiB", 2 * 1024 ** 3],
    ["500MB", 500_000_000],
    ["1.5MiB", 1_572_864],
    ["1000", 1000],
  ])("reads the size %s", (text, bytes) => {
    expect(parseSize(text)).toBe(bytes);
  });

  it.each(["", "two", "5 parsecs", "-1GiB"])("refuses the size %j", (text) => {
    expect(parseSize(text)).toBeNull();
  });

  it("[U1] reads every option", () => {
    const args = parseMakeArchiveArgs([
      "--version", "2.11.0+12345", "--out", "./archives", "--size", "2GiB", "--format", "detached",
      "--signer", "other-signer", "--portal-name", "--downgrade", "--hash", "sha512", "--level", "6",
    ]);
    expect(args).toMatchObject({
      dir: "./archives",
      version: "2.11.0+12345",
      sizeBytes: 2 * 1024 ** 3,
      format: "detached",
      signer: "other-signer",
      nameForm: "portal",
      kind: "downgrade",
      hashAlgorithm: 10,
      compressionLevel: 6,
    });
  });

  it("defaults to a compressed archive signed by the test vendor", () => {
    expect(parseMakeArchiveArgs(["--version", "2.11.0+1", "--out", "x"])).toMatchObject({
      format: "compressed",
      signer: "test-vendor",
      nameForm: "documented",
      kind: "upgrade",
      hashAlgorithm: 8,
    });
  });

  it.each([
    [["--out", "x"], /--version/],
    [["--version", "latest", "--out", "x"], /--version/],
    [["--version", "2.11.0"], /--out/],
    [["--version", "2.11.0", "--out", "x", "--size", "huge"], /not a size/],
    [["--version", "2.11.0", "--out", "x", "--format", "zip"], /--format/],
    [["--version", "2.11.0", "--out", "x", "--signer", "mallory"], /--signer/],
    [["--version", "2.11.0", "--out", "x", "--hash", "md5"], /--hash/],
    [["--version", "2.11.0", "--out", "x", "--level", "10"], /--level/],
    [["--version", "2.11.0", "--out", "x", "--bogus"], /bogus/],
  ])("refuses %j", (argv, message) => {
    expect(() => parseMakeArchiveArgs(argv)).toThrow(message);
  });
});

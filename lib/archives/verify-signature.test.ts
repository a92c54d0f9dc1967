// Archives made by simulator/archives.ts (our own writer) against the verifier. GnuPG-made
// archives are in verify-signature.int.test.ts; random corruptions in verify-signature.property.test.ts.

import { copyFile, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import * as openpgp from "openpgp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifySignedArchive } from "@/lib/archives/verify-signature";
import { flipByte, keyPath, makeSignedArchive, makeUnsignedArchive, truncateFile } from "@/simulator/archives";

let dir: string;
const pub = (name: Parameters<typeof keyPath>[0]) => readFile(keyPath(name, "pub"), "utf8");
let vendor: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "verify-archive-"));
  vendor = await pub("test-vendor");
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

let seq = 0;
const make = (opts: Partial<Parameters<typeof makeSignedArchive>[0]> = {}) =>
  makeSignedArchive({ dir, version: "2.11.0+12345", sizeBytes: 16 * 1024, fileName: `a${++seq}.gpg`, ...opts });

describe("[U8] verifySignedArchive accepts what the vendor would ship", () => {
  it.each(["compressed", "uncompressed"] as const)("[U1] verifies a %s signed archive and reads its version", async (format) => {
    const archive = await make({ format });
    const result = await verifySignedArchive(archive.path, { trustedKeys: [vendor] });
    expect(result).toMatchObject({
      ok: true,
      signerUserId: "Test Vendor <test-vendor@example.invalid>",
      literalFileName: "ks_upgrade_2.11.0+12345.tar.gz",
      version: "2.11.0+12345",
      hashAlgorithm: "SHA256",
      format,
      armored: false,
    });
    if (result.ok) expect(result.signerFingerprint).toMatch(/^[0-9A-F]{40}$/);
  });

  it("[U1] verifies a .tar.gz with a detached signature", async () => {
    const archive = await make({ format: "detached", fileName: undefined, version: "2.12.0+13000" });
    expect(archive.fileName).toBe("ks_upgrade_2.12.0+13000.tar.gz");
    const result = await verifySignedArchive(archive.path, { trustedKeys: [vendor], signaturePath: archive.signaturePath });
    expect(result).toMatchObject({ ok: true, format: "detached", literalFileName: null, version: null });
  });

  it("[D7] verifies a downgrade archive in the Support Portal's naming", async () => {
    const archive = await make({ kind: "downgrade", nameForm: "portal", fileName: undefined, version: "2.10.0+11000" });
    expect(archive.fileName).toBe("610-000611-034_SW_Downgrade_Package_CipherTrust_Manager_v2.10.0_RevA.tar.gz.gpg");
    const result = await verifySignedArchive(archive.path, { trustedKeys: [vendor] });
    expect(result).toMatchObject({ ok: true, version: "2.10.0+11000", literalFileName: "ks_downgrade_2.10.0+11000.tar.gz" });
  });

  it("[U8] verifies a compressed archive whose deflate stream really compresses (level 6, as gpg)", async () => {
    const archive = await make({ compressionLevel: 6, sizeBytes: 8 * 1024 });
    expect(await verifySignedArchive(archive.path, { trustedKeys: [vendor] })).toMatchObject({ ok: true, compression: "ZIP" });
  });

  it("[U8] verifies an EdDSA signature and one made with SHA512", async () => {
    const other = await pub("other-signer");
    const eddsa = await make({ signer: "other-signer" });
    expect(await verifySignedArchive(eddsa.path, { trustedKeys: [vendor, other] })).toMatchObject({ ok: true });
    const sha512 = await make({ hashAlgorithm: 10 });
    expect(await verifySignedArchive(sha512.path, { trustedKeys: [vendor] })).toMatchObject({ ok: true, hashAlgorithm: "SHA512" });
  });

  it("[U8] accepts a signature made by a signing subkey and reports both fingerprints", async () => {
    const { privateKey, publicKey } = await openpgp.generateKey({
      type: "ecc",
      curve: "ed25519Legacy",
      userIDs: [{ name: "Subkey Vendor", email: "subkey@example.invalid" }],
      subkeys: [{ sign: true }],
    });
    const archive = await make({ signer: privateKey });
    const result = await verifySignedArchive(archive.path, { trustedKeys: [publicKey] });
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.signingKeyFingerprint).not.toBe(result.signerFingerprint);
  });

  it.each([
    ["compressed, stored", { format: "compressed" as const }],
    ["compressed, deflate level 6", { format: "compressed" as const, compressionLevel: 6 }],
    ["uncompressed", { format: "uncompressed" as const }],
    ["detached", { format: "detached" as const, fileName: "ring.tar.gz" }],
  ])("[U8] verifies a %s archive larger than the reader's buffer ring", async (_what, opts) => {
    // 12 chunks of 1 MiB go through 4 reused buffers three times: a reuse bug would break the digest.
    const archive = await make({ sizeBytes: 12 * 1024 * 1024, ...opts });
    const result = await verifySignedArchive(archive.path, { trustedKeys: [vendor], signaturePath: archive.signaturePath });
    expect(result).toMatchObject({ ok: true });
  });

  it("reports progress up to the file's size", async () => {
    const archive = await make({ sizeBytes: 3 * 1024 * 1024 });
    const seen: number[] = [];
    await verifySignedArchive(archive.path, { trustedKeys: [vendor], onProgress: (read, total) => seen.push(read, total) });
    expect(seen.at(-2)).toBe(archive.sizeBytes);
    expect(seen.at(-1)).toBe(archive.sizeBytes);
    expect(seen.length).toBeGreaterThan(4);
  });
});

describe("[F8] verifySignedArchive refuses, with a code and a reason", () => {
  it("[F8] refuses a plain .tar.gz as unsigned", async () => {
    const plain = await makeUnsignedArchive(dir, "2.11.0+12345");
    const result = await verifySignedArchive(plain.path, { trustedKeys: [vendor] });
    expect(result).toMatchObject({ ok: false, code: "unsigned", reason: expect.stringMatching(/gzip/) });
  });

  it("[F8] refuses an archive signed by an untrusted key", async () => {
    const archive = await make({ signer: "other-signer" });
    const result = await verifySignedArchive(archive.path, { trustedKeys: [vendor] });
    expect(result).toMatchObject({ ok: false, code: "unknown-signer", reason: expect.stringMatching(/not one of the trusted keys/) });
  });

  it("[F8] refuses when no key is trusted", async () => {
    const archive = await make();
    expect(await verifySignedArchive(archive.path, { trustedKeys: [] })).toMatchObject({ ok: false, code: "unknown-signer" });
  });

  it.each(["compressed", "uncompressed"] as const)("[F8] refuses a %s archive with one byte changed in its data", async (format) => {
    const archive = await make({ format });
    await flipByte(archive.path, Math.floor(archive.sizeBytes / 2));
    expect(await verifySignedArchive(archive.path, { trustedKeys: [vendor] })).toMatchObject({ ok: false, code: "bad-signature" });
  });

  it("[F8] refuses an archive whose signature value was changed", async () => {
    const archive = await make({ format: "uncompressed" });
    await flipByte(archive.path, archive.sizeBytes - 10, 0x01);
    expect(await verifySignedArchive(archive.path, { trustedKeys: [vendor] })).toMatchObject({ ok: false, code: "bad-signature" });
  });

  it.each([
    ["half of it", (size: number) => Math.floor(size / 2)],
    ["its last byte", (size: number) => size - 1],
    ["all but its first byte", () => 1],
  ])("[F8] refuses an archive cut short by %s as truncated", async (_what, cut) => {
    for (const format of ["compressed", "uncompressed"] as const) {
      const archive = await make({ format });
      await truncateFile(archive.path, cut(archive.sizeBytes));
      expect(await verifySignedArchive(archive.path, { trustedKeys: [vendor] })).toMatchObject({ ok: false, code: "truncated" });
    }
  });

  it("[F8] refuses a detached signature of another file", async () => {
    const a = await make({ format: "detached", fileName: "a.tar.gz", version: "2.11.0+1" });
    const b = await make({ format: "detached", fileName: "b.tar.gz", version: "2.11.0+2" });
    const result = await verifySignedArchive(a.path, { trustedKeys: [vendor], signaturePath: b.signaturePath });
    expect(result).toMatchObject({ ok: false, code: "bad-signature", reason: expect.stringMatching(/altered or is not the one/) });
  });

  it("[F8] refuses a detached signature given as the archive itself", async () => {
    const a = await make({ format: "detached", fileName: "c.tar.gz" });
    const result = await verifySignedArchive(a.signaturePath as string, { trustedKeys: [vendor] });
    expect(result).toMatchObject({ ok: false, code: "malformed", reason: expect.stringMatching(/detached signature/) });
  });

  it("[F8] refuses an encrypted file", async () => {
    const message = await openpgp.createMessage({ binary: new Uint8Array(1000) });
    const encrypted = await openpgp.encrypt({ message, passwords: ["secret"], format: "binary" });
    const file = path.join(dir, "encrypted.gpg");
    await writeFile(file, encrypted);
    expect(await verifySignedArchive(file, { trustedKeys: [vendor] })).toMatchObject({ ok: false, code: "encrypted" });
  });

  it("[F8] refuses a key file and random bytes as malformed", async () => {
    expect(await verifySignedArchive(keyPath("test-vendor", "pub"), { trustedKeys: [vendor] })).toMatchObject({ ok: false, code: "malformed" });
    const junk = path.join(dir, "junk.gpg");
    await writeFile(junk, Buffer.from([0xff, 0x00, 0x12, 0x34]));
    expect(await verifySignedArchive(junk, { trustedKeys: [vendor] })).toMatchObject({ ok: false, code: "malformed" });
  });

  it("[F8] refuses a key that had expired, even for a signature dated while it was valid", async () => {
    const expired = await pub("expired-signer");
    const late = await make({ signer: "expired-signer" });
    expect(await verifySignedArchive(late.path, { trustedKeys: [expired] })).toMatchObject({ ok: false, code: "expired-key" });
    const backdated = await make({ signer: "expired-signer", signedAt: new Date("2020-01-01T12:00:00Z") });
    expect(await verifySignedArchive(backdated.path, { trustedKeys: [expired] })).toMatchObject({ ok: false, code: "expired-key" });
    // Judged at a time when the key was valid, the same file verifies: `now` is honoured.
    const then = new Date("2020-01-01T18:00:00Z");
    expect(await verifySignedArchive(backdated.path, { trustedKeys: [expired], now: then })).toMatchObject({ ok: true });
  });

  it("[F8] refuses a revoked key and quotes the revocation", async () => {
    const archive = await make({ signer: "revoked-signer" });
    const result = await verifySignedArchive(archive.path, { trustedKeys: [await pub("revoked-signer")] });
    expect(result).toMatchObject({ ok: false, code: "revoked-key", reason: expect.stringMatching(/test fixture/) });
  });

  it("[F8] refuses a signature dated in the future", async () => {
    const archive = await make({ signedAt: new Date(Date.now() + 2 * 86_400_000) });
    const result = await verifySignedArchive(archive.path, { trustedKeys: [vendor] });
    expect(result).toMatchObject({ ok: false, code: "bad-signature", reason: expect.stringMatching(/future/) });
  });

  it("throws when the file does not exist: that is no verdict on an archive", async () => {
    await expect(verifySignedArchive(path.join(dir, "missing.gpg"), { trustedKeys: [vendor] })).rejects.toThrow(/ENOENT/);
  });

  it("[F8] keeps refusing a copy whose name was changed to look genuine", async () => {
    const archive = await make({ signer: "other-signer" });
    const renamed = path.join(dir, "ks_upgrade_2.11.0+12345.tar.gz.gpg");
    await copyFile(archive.path, renamed);
    expect((await stat(renamed)).size).toBe(archive.sizeBytes);
    expect(await verifySignedArchive(renamed, { trustedKeys: [vendor] })).toMatchObject({ ok: false, code: "unknown-signer" });
  });
});

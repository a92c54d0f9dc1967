// What GnuPG 2.2 writes must verify, and what gpg accepts of ours must too. Uses the gpg program
// with a throwaway home; small files only (large-file figures: docs/archive-verification.md).

import { execFileSync, spawnSync } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import * as openpgp from "openpgp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifySignedArchive, type VerifyOptions } from "@/lib/archives/verify-signature";
import { flipByte, keyPath, makeSignedArchive, makeUnsignedArchive, truncateFile } from "@/simulator/archives";

const hasGpg = spawnSync("gpg", ["--version"]).status === 0;
const hasBzip2 = spawnSync("bzip2", ["--help"]).status === 0;
const PAYLOAD = "ks_upgrade_2.11.0+12345.tar.gz";
const VENDOR = "test-vendor@example.invalid";
const OTHER = "other-signer@example.invalid";

let dir: string;
let home: string;
let keys: Record<"vendor" | "other" | "expired" | "revoked" | "subkeyed", string>;
let payload: string;

function gpg(...args: string[]): Buffer {
  return execFileSync("gpg", ["--batch", "--yes", "--homedir", home, ...args], { stdio: ["pipe", "pipe", "pipe"] });
}
const out = (name: string) => path.join(dir, name);
const verify = (file: string, opts: Partial<VerifyOptions> = {}) => verifySignedArchive(file, { trustedKeys: [keys.vendor], ...opts });

describe.skipIf(!hasGpg)("[U8] archives signed by GnuPG", () => {
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "gpg-archives-"));
    home = await mkdtemp(path.join(tmpdir(), "gh-")); // short: gpg-agent's socket path is limited
    const subkeyed = await openpgp.generateKey({
      type: "ecc",
      curve: "ed25519Legacy",
      userIDs: [{ name: "Subkey Vendor", email: "subkey@example.invalid" }],
      subkeys: [{ sign: true }],
    });
    await writeFile(out("subkeyed.sec.asc"), subkeyed.privateKey);
    const read = (name: Parameters<typeof keyPath>[0]) => readFile(keyPath(name, "pub"), "utf8");
    keys = { vendor: await read("test-vendor"), other: await read("other-signer"), expired: await read("expired-signer"), revoked: await read("revoked-signer"), subkeyed: subkeyed.publicKey };
    for (const name of ["test-vendor", "other-signer", "expired-signer", "revoked-signer"] as const) gpg("--import", keyPath(name, "sec"));
    gpg("--import", out("subkeyed.sec.asc"));
    payload = (await makeUnsignedArchive(dir, "2.11.0+12345", 256 * 1024, PAYLOAD)).path;
  });
  afterAll(async () => {
    spawnSync("gpgconf", ["--homedir", home, "--kill", "gpg-agent"]);
    await rm(dir, { recursive: true, force: true });
    await rm(home, { recursive: true, force: true });
  });

  it.each([
    ["ZIP (gpg's default)", [], "ZIP"],
    ["ZLIB", ["--compress-algo", "zlib"], "ZLIB"],
    ["no compression (-z 0)", ["-z", "0"], null],
  ])("[U1] verifies gpg --sign with %s", async (_what, extra, compression) => {
    const file = out(`sign-${compression}.gpg`);
    gpg("-u", VENDOR, "--sign", ...extra, "-o", file, payload);
    const result = await verify(file);
    expect(result).toMatchObject({ ok: true, compression, literalFileName: PAYLOAD, version: "2.11.0+12345" });
    expect(result).toMatchObject({ format: compression ? "compressed" : "uncompressed" });
  });

  it("[U1] verifies gpg --sign with BZIP2, or says why it cannot", async () => {
    const file = out("sign-bzip2.gpg");
    gpg("-u", VENDOR, "--sign", "--compress-algo", "bzip2", "-o", file, payload);
    const result = await verify(file);
    if (hasBzip2) expect(result).toMatchObject({ ok: true, compression: "BZIP2" });
    else expect(result).toMatchObject({ ok: false, code: "unsupported", reason: expect.stringMatching(/bzip2/) });
  });

  it.each(["SHA256", "SHA384", "SHA512", "SHA224"])("[U8] verifies a %s signature", async (digest) => {
    const file = out(`digest-${digest}.gpg`);
    gpg("-u", VENDOR, "--digest-algo", digest, "--sign", "-o", file, payload);
    expect(await verify(file)).toMatchObject({ ok: true, hashAlgorithm: digest });
  });

  it("[U8] verifies an armored signed archive", async () => {
    gpg("-u", VENDOR, "--sign", "--armor", "-o", out("armored.asc"), payload);
    expect(await verify(out("armored.asc"))).toMatchObject({ ok: true, armored: true, format: "compressed" });
  });

  it.each([
    ["binary", [], "sig"],
    ["armored", ["--armor"], "asc"],
  ])("[U8] verifies a %s detached signature", async (_what, extra, ext) => {
    const sig = out(`${PAYLOAD}.${ext}`);
    gpg("-u", VENDOR, "--detach-sign", ...extra, "-o", sig, payload);
    expect(await verify(payload, { signaturePath: sig })).toMatchObject({ ok: true, format: "detached", armored: ext === "asc" });
  });

  it("[U8] verifies a gpg ZIP archive larger than the reader's buffer ring", async () => {
    const big = (await makeUnsignedArchive(dir, "2.11.0+12345", 12 * 1024 * 1024, "ring.tar.gz")).path;
    gpg("-u", VENDOR, "--sign", "-o", out("ring.gpg"), big);
    expect(await verify(out("ring.gpg"))).toMatchObject({ ok: true, compression: "ZIP" });
  });

  it("[U8] verifies a message streamed from stdin (partial body lengths, no file name)", async () => {
    const big = (await makeUnsignedArchive(dir, "2.11.0+12345", 3 * 1024 * 1024, "stdin.tar.gz")).path;
    const signed = execFileSync("gpg", ["--batch", "--homedir", home, "-u", VENDOR, "-z", "0", "--sign"], { input: await readFile(big), maxBuffer: 1 << 26 });
    await writeFile(out("stdin.gpg"), signed);
    expect(await verify(out("stdin.gpg"))).toMatchObject({ ok: true, literalFileName: null, version: null });
  });

  it("[U8] verifies EdDSA keys and signing subkeys", async () => {
    gpg("-u", OTHER, "--sign", "-o", out("eddsa.gpg"), payload);
    expect(await verify(out("eddsa.gpg"), { trustedKeys: [keys.other] })).toMatchObject({ ok: true });
    gpg("-u", "subkey@example.invalid", "--sign", "-o", out("subkey.gpg"), payload);
    const result = await verify(out("subkey.gpg"), { trustedKeys: [keys.subkeyed] });
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.signingKeyFingerprint).not.toBe(result.signerFingerprint);
  });

  it.each([
    ["symmetrically encrypted", ["--passphrase", "x", "--pinentry-mode", "loopback", "--symmetric"], "encrypted"],
    ["encrypted to a key", ["--trust-model", "always", "-r", VENDOR, "--encrypt"], "encrypted"],
    ["signed and encrypted", ["--trust-model", "always", "-u", VENDOR, "-r", VENDOR, "--sign", "--encrypt"], "encrypted"],
    ["stored without signature", ["--store"], "unsigned"],
  ])("[F8] refuses a file %s", async (what, args, code) => {
    const file = out(`${what.replace(/ /g, "-")}.gpg`);
    gpg(...args, "-o", file, payload);
    expect(await verify(file)).toMatchObject({ ok: false, code });
  });

  it("[F8] refuses a cleartext-signed text and a plain .tar.gz", async () => {
    await writeFile(out("notes.txt"), "release notes\n");
    gpg("-u", VENDOR, "--clearsign", "-o", out("notes.asc"), out("notes.txt"));
    expect(await verify(out("notes.asc"))).toMatchObject({ ok: false, code: "unsupported" });
    expect(await verify(payload)).toMatchObject({ ok: false, code: "unsigned" });
  });

  it("[F8] refuses gpg archives that were altered, cut short, or signed by someone else", async () => {
    gpg("-u", VENDOR, "-z", "0", "--sign", "-o", out("t1.gpg"), payload);
    await flipByte(out("t1.gpg"), 100_000);
    expect(await verify(out("t1.gpg"))).toMatchObject({ ok: false, code: "bad-signature" });
    gpg("-u", VENDOR, "--sign", "-o", out("t2.gpg"), payload);
    await flipByte(out("t2.gpg"), 100_000);
    expect(await verify(out("t2.gpg"))).toMatchObject({ ok: false });
    gpg("-u", VENDOR, "--sign", "-o", out("t3.gpg"), payload);
    await truncateFile(out("t3.gpg"), 150_000);
    expect(await verify(out("t3.gpg"))).toMatchObject({ ok: false, code: "truncated" });
    gpg("-u", OTHER, "--sign", "-o", out("t4.gpg"), payload);
    expect(await verify(out("t4.gpg"))).toMatchObject({ ok: false, code: "unknown-signer" });
    gpg("-u", VENDOR, "--detach-sign", "-o", out("t5.sig"), out("t1.gpg"));
    expect(await verify(payload, { signaturePath: out("t5.sig") })).toMatchObject({ ok: false, code: "bad-signature" });
  });

  it("[F8] refuses gpg signatures by an expired or a revoked key", async () => {
    gpg("--faked-system-time", "20200101T120000!", "-u", "expired-signer@example.invalid", "--sign", "-o", out("expired.gpg"), payload);
    expect(await verify(out("expired.gpg"), { trustedKeys: [keys.expired] })).toMatchObject({ ok: false, code: "expired-key" });
    gpg("-u", "revoked-signer@example.invalid", "--sign", "-o", out("revoked.gpg"), payload);
    expect(await verify(out("revoked.gpg"), { trustedKeys: [keys.revoked] })).toMatchObject({ ok: false, code: "revoked-key" });
  });

  it.each(["compressed", "uncompressed", "detached"] as const)("[U8] makes %s archives that gpg --verify accepts", async (format) => {
    const made = await makeSignedArchive({ dir, version: "2.12.0+1", format, fileName: `ours-${format}`, sizeBytes: 2 * 1024 * 1024 });
    const args = made.signaturePath ? [made.signaturePath, made.path] : [made.path];
    const status = spawnSync("gpg", ["--batch", "--homedir", home, "--status-fd", "1", "--verify", ...args], { encoding: "utf8" });
    expect(status.status).toBe(0);
    expect(status.stdout).toMatch(/GOODSIG/);
  });
});

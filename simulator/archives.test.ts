import { createHash } from "node:crypto";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import * as openpgp from "openpgp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseArchiveName } from "@/lib/domain/archive-name";
import { archiveFileName, flipByte, keyPath, makeSignedArchive, tarGzPayload, truncateFile } from "@/simulator/archives";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "sim-archives-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The files of a ustar archive, enough to read back what tarGzPayload wrote. */
function untar(tar: Buffer): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (let pos = 0; pos + 512 <= tar.length && tar[pos] !== 0; ) {
    const name = tar.subarray(pos, pos + 100).toString("ascii").replace(/\0.*$/s, "");
    const size = parseInt(tar.subarray(pos + 124, pos + 136).toString("ascii"), 8);
    files.set(name, tar.subarray(pos + 512, pos + 512 + size));
    pos += 512 + Math.ceil(size / 512) * 512;
  }
  return files;
}

describe("simulator archives", () => {
  it("[U1] make a real .tar.gz holding the version, sized as asked", async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of tarGzPayload("2.11.0+12345", 1024 * 1024)) chunks.push(chunk);
    const gz = Buffer.concat(chunks);
    expect(Math.abs(gz.length - 1024 * 1024)).toBeLessThan(1024);
    const files = untar(gunzipSync(gz));
    expect(files.get("VERSION")?.toString()).toBe("2.11.0+12345\n");
    expect(files.get("filler.bin")?.length).toBeGreaterThan(1_000_000);
  });

  it.each([
    ["documented", "compressed", "ks_upgrade_2.11.0+12345.tar.gz.gpg"],
    ["documented", "detached", "ks_upgrade_2.11.0+12345.tar.gz"],
    ["portal", "compressed", "610-000611-034_SW_Upgrade_Package_CipherTrust_Manager_v2.11.0_RevA.tar.gz.gpg"],
  ] as const)("[U1] name archives in the %s form (%s) so that parseArchiveName accepts them", (form, format, want) => {
    const name = archiveFileName("2.11.0+12345", "upgrade", form, format);
    expect(name).toBe(want);
    expect(parseArchiveName(name)).toMatchObject({ ok: true, form });
  });

  it("report the size and sha256 of the file they wrote", async () => {
    const made = await makeSignedArchive({ dir, version: "2.12.0+1", format: "uncompressed" });
    const bytes = await readFile(made.path);
    expect(made.sizeBytes).toBe(bytes.length);
    expect(made.sha256).toBe(createHash("sha256").update(bytes).digest("hex"));
    expect(made.fileName).toBe("ks_upgrade_2.12.0+1.tar.gz.gpg");
  });

  it.each(["compressed", "uncompressed"] as const)("[U8] write %s messages that openpgp.js also verifies", async (format) => {
    const made = await makeSignedArchive({ dir, version: "2.13.0+5", format, fileName: `openpgpjs-${format}.gpg` });
    const verificationKeys = await openpgp.readKey({ armoredKey: await readFile(keyPath("test-vendor", "pub"), "utf8") });
    const message = await openpgp.readMessage({ binaryMessage: await readFile(made.path) });
    const { signatures, data } = await openpgp.verify({ message, verificationKeys, format: "binary" });
    expect(data.length).toBeGreaterThan(60_000);
    await expect(signatures[0]?.verified).resolves.toBe(true);
  });

  it("[U8] write detached signatures that openpgp.js also verifies", async () => {
    const made = await makeSignedArchive({ dir, version: "2.13.0+6", format: "detached", signer: "other-signer" });
    const verificationKeys = await openpgp.readKey({ armoredKey: await readFile(keyPath("other-signer", "pub"), "utf8") });
    const message = await openpgp.createMessage({ binary: await readFile(made.path) });
    const signature = await openpgp.readSignature({ binarySignature: await readFile(made.signaturePath as string) });
    const { signatures } = await openpgp.verify({ message, signature, verificationKeys });
    await expect(signatures[0]?.verified).resolves.toBe(true);
  });

  it.each([
    ["test-vendor", "FFF3077BAF06156C6C57C88433596698A7D968DA"],
    ["other-signer", "FB8B553EBE8BD358C1DE4B39BE6375D1256EE64B"],
  ] as const)("keep the committed %s key that simulator/keys/README.md names", async (name, fingerprint) => {
    // Regenerating a key would silently invalidate archives and trust settings made with it.
    const key = await openpgp.readKey({ armoredKey: await readFile(keyPath(name, "pub"), "utf8") });
    expect(key.getFingerprint().toUpperCase()).toBe(fingerprint);
  });

  it("corrupt files by flipping a byte or truncating", async () => {
    const made = await makeSignedArchive({ dir, version: "2.14.0+1", fileName: "corrupt.gpg" });
    const before = await readFile(made.path);
    await flipByte(made.path, 100);
    const after = await readFile(made.path);
    expect(after[100]).toBe((before[100] ?? 0) ^ 0xff);
    expect(Buffer.compare(after.subarray(101), before.subarray(101))).toBe(0);
    await truncateFile(made.path, 50);
    expect((await stat(made.path)).size).toBe(50);
    await expect(flipByte(made.path, 50)).rejects.toThrow(/no byte at offset 50/);
  });
});

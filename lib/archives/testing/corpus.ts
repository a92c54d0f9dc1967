// The bad-input corpus: broken archives built at test time (no binaries in the tree) and hostile
// file names, each with the refusal the intake must give. Used by lib/archives/archive-corpus.int.test.ts.
import { copyFile, writeFile } from "node:fs/promises";
import path from "node:path";
import * as openpgp from "openpgp";
import { flipByte, makeSignedArchive, makeUnsignedArchive, truncateFile } from "@/simulator/archives";

export interface CorpusArchive {
  /** What is wrong with it, as a test title. */
  what: string;
  /** The name it is uploaded under, and the bytes on disk. */
  fileName: string;
  path: string;
  /** Bytes announced by the uploader (Content-Length); more than sent means the upload was cut. */
  declaredBytes?: number;
  /** The Archive row's refusalCode, and words the reason must contain. */
  code: string;
  reason: RegExp;
}

const SIZE = 32 * 1024;

/** One of each broken archive, made under `dir`; `n` keeps versions (and names) unique per call. */
export async function buildArchiveCorpus(dir: string, n: number): Promise<CorpusArchive[]> {
  const v = (i: number) => `2.19.${n}+${900 + i}`;
  const signed = (i: number, opts: Partial<Parameters<typeof makeSignedArchive>[0]> = {}) =>
    makeSignedArchive({ dir, version: v(i), sizeBytes: SIZE, format: "uncompressed", ...opts });
  const entry = (what: string, made: { fileName: string; path: string }, code: string, reason: RegExp, declaredBytes?: number): CorpusArchive => ({
    what, fileName: made.fileName, path: made.path, code, reason, declaredBytes,
  });

  const unsigned = await makeUnsignedArchive(dir, v(1), SIZE);
  const unsignedAsGpg = path.join(dir, `ks_upgrade_${v(1)}.tar.gz.gpg`);
  await copyFile(unsigned.path, unsignedAsGpg);

  const flipped = await signed(5);
  await flipByte(flipped.path, Math.floor(flipped.sizeBytes / 2));
  const truncated = await signed(6);
  await truncateFile(truncated.path, Math.floor(truncated.sizeBytes / 2));
  const cutUpload = await signed(7);

  const encryptedName = `ks_upgrade_${v(8)}.tar.gz.gpg`;
  const encryptedPath = path.join(dir, encryptedName);
  const message = await openpgp.createMessage({ binary: new Uint8Array(SIZE), filename: `ks_upgrade_${v(8)}.tar.gz` });
  await writeFile(encryptedPath, await openpgp.encrypt({ message, passwords: ["not-a-signature"], format: "binary" }));

  const detached = await signed(9, { format: "detached" });
  const sigOnly = { fileName: `${detached.fileName}.sig`, path: detached.signaturePath! };

  return [
    entry("unsigned (a plain .tar.gz named .gpg)", { fileName: path.basename(unsignedAsGpg), path: unsignedAsGpg }, "unsigned", /gzip|not signed|unsigned/i),
    entry("signed by a key nobody trusts", await signed(2, { signer: "other-signer" }), "unknown-signer", /not one of the trusted keys/),
    entry("signed by an expired key", await signed(3, { signer: "expired-signer" }), "expired-key", /expired/i),
    entry("signed by a revoked key", await signed(4, { signer: "revoked-signer" }), "revoked-key", /revoked/i),
    entry("one byte flipped in the signed data", flipped, "bad-signature", /altered|does not match|signature/i),
    entry("cut short on disk (half the file)", truncated, "truncated", /truncat|cut short|ends/i),
    entry("an upload that stopped before its announced length", cutUpload, "truncated", /incomplete/, cutUpload.sizeBytes * 2),
    entry("encrypted instead of signed", { fileName: encryptedName, path: encryptedPath }, "encrypted", /encrypt/i),
    entry("a detached .sig without its file", sigOnly, "malformed", /detached signature/i),
    entry("a .tar.gz without its .sig", detached, "unsigned", /gzip|not signed|unsigned/i),
  ];
}

/** Names refused before a byte is stored: empty, too long, control and direction characters,
 *  paths, and shell metacharacters. Each would otherwise reach `ks_upgrade.sh -f <path>`. */
export const HOSTILE_NAMES: readonly { what: string; name: string; reason: RegExp }[] = [
  { what: "empty", name: "", reason: /empty/ },
  { what: "10 KB long", name: `ks_upgrade_2.11.0+1${"a".repeat(10_240)}.tar.gz.gpg`, reason: /bytes long/ },
  { what: "a NUL byte", name: "ks_upgrade_2.11.0+1.tar.gz.gpg\u0000.txt", reason: /control character U\+0000/ },
  { what: "a right-to-left override", name: "ks_upgrade_2.11.0+1\u202Egpg.zg.rat.tar.gz.gpg", reason: /only letters, digits/ },
  { what: "a zero-width joiner", name: "ks_upgrade_2.11.0+1\u200D.tar.gz.gpg", reason: /only letters, digits/ },
  { what: "path traversal", name: "../../etc/passwd", reason: /path separator/ },
  { what: "a Windows path", name: "..\\x", reason: /path separator/ },
  { what: "an absolute path", name: "/etc/ks_upgrade_2.11.0+1.tar.gz.gpg", reason: /path separator/ },
  { what: "a bare ..", name: "ks_upgrade_2.11.0+1..tar.gz.gpg", reason: /"\.\."/ },
  { what: "$(reboot)", name: "ks_upgrade_2.11.0+1$(reboot).tar.gz.gpg", reason: /shell metacharacter/ },
  { what: "backticks", name: "ks_upgrade_2.11.0+1`reboot`.tar.gz.gpg", reason: /shell metacharacter/ },
  { what: "a semicolon", name: "ks_upgrade_2.11.0+1;reboot;.tar.gz.gpg", reason: /shell metacharacter/ },
  { what: "a pipe", name: "ks_upgrade_2.11.0+1|sh.tar.gz.gpg", reason: /shell metacharacter/ },
  { what: "a newline", name: "ks_upgrade_2.11.0+1.tar.gz.gpg\nreboot", reason: /control character U\+000A/ },
  { what: "a leading dash (an option)", name: "-rf_ks_upgrade_2.11.0+1.tar.gz.gpg", reason: /option|names no version|neither/ },
  { what: "a hidden file", name: ".ks_upgrade_2.11.0+1.tar.gz.gpg", reason: /hidden|names no version|neither/ },
];

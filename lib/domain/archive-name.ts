// What an upgrade archive's file name tells us, and which names we refuse outright.
// The name ends up in `ks_upgrade.sh -f <path>` on the appliance [U8], so only a strict set of
// characters passes; the version in the name is a hint: the signed content or an operator wins.

import { formatVersion, parseVersion } from "@/lib/domain/version";

export type ArchiveKind = "upgrade" | "downgrade";
export type ArchiveNameForm = "documented" | "portal";
/** signed-archive: `.tar.gz.gpg` (signature inside); payload: a `.tar.gz` that needs a detached
 *  signature beside it; signature: the `.sig`/`.asc` detached signature of such a payload. */
export type ArchiveFileRole = "signed-archive" | "payload" | "signature";

export type ParsedArchiveName =
  | {
      ok: true;
      version: string;
      kind: ArchiveKind;
      form: ArchiveNameForm;
      /** True when the signature lives in a separate `.sig`/`.asc` file (role payload or signature). */
      detachedSignature: boolean;
      role: ArchiveFileRole;
      /** The `.tar.gz` or `.tar.gz.gpg` this name belongs to (differs from the input for a signature). */
      archiveFileName: string;
    }
  | { ok: false; reason: string };

const MAX_NAME_BYTES = 255; // ext4 and most file systems refuse longer names
const SAFE_CHARS = /^[A-Za-z0-9._+-]$/;
const SHELL_METACHARACTERS = new Set([..."`$;|&<>()*?[]{}'\"!~#\\= \t%^,"]);
const EXTENSION = /\.tar\.gz(\.gpg|\.sig|\.asc)?$/;
const DOCUMENTED = /^ks_(upgrade|downgrade)_(.+)$/;
// 610-000611-034_SW_Upgrade_Package_CipherTrust_Manager_v2.21.0_RevA: part number, kind, product, version, revision.
const PORTAL = /^\d+(?:-\d+)*_SW_(Upgrade|Downgrade)_Package_[A-Za-z0-9_]+?_v(\d[0-9A-Za-z.+-]*?)(?:_Rev[A-Za-z0-9]+)?$/i;

export function parseArchiveName(fileName: string): ParsedArchiveName {
  const refusal = refuseUnsafeName(fileName);
  if (refusal) return { ok: false, reason: refusal };

  const ext = EXTENSION.exec(fileName);
  if (!ext) {
    return {
      ok: false,
      reason: `"${fileName}" does not end in .tar.gz.gpg (or .tar.gz with a .sig/.asc detached signature)`,
    };
  }
  const stem = fileName.slice(0, ext.index);
  const suffix = ext[1] ?? "";
  const role: ArchiveFileRole = suffix === ".gpg" ? "signed-archive" : suffix === "" ? "payload" : "signature";
  const archiveFileName = role === "signature" ? fileName.slice(0, -suffix.length) : fileName;

  const documented = DOCUMENTED.exec(stem);
  const portal = documented ? null : PORTAL.exec(stem);
  const match = documented ?? portal;
  if (!match) {
    const reason = /\d+\.\d+\.\d+/.test(stem)
      ? `"${fileName}" is neither ks_upgrade_<x.y.z+build>.tar.gz.gpg nor the Support Portal form ..._SW_Upgrade_Package_..._v<x.y.z>_Rev<X>.tar.gz.gpg`
      : `"${fileName}" names no version (expected ks_upgrade_<x.y.z+build>.tar.gz.gpg)`;
    return { ok: false, reason };
  }

  const versionText = match[2] ?? "";
  const version = parseVersion(versionText);
  if (!version) {
    return { ok: false, reason: `"${versionText}" in "${fileName}" is not a version of the form x.y.z or x.y.z+build` };
  }
  return {
    ok: true,
    version: formatVersion(version),
    kind: (match[1] ?? "").toLowerCase() === "downgrade" ? "downgrade" : "upgrade",
    form: documented ? "documented" : "portal",
    detachedSignature: role !== "signed-archive",
    role,
    archiveFileName,
  };
}

/** A sentence naming what makes the name unusable, or null when every character is acceptable. */
function refuseUnsafeName(fileName: string): string | null {
  if (fileName.length === 0) return "the file name is empty";
  const bytes = new TextEncoder().encode(fileName).length;
  if (bytes > MAX_NAME_BYTES) return `the file name is ${bytes} bytes long; at most ${MAX_NAME_BYTES} are allowed`;
  if (fileName.includes("/") || fileName.includes("\\")) {
    return `"${printable(fileName)}" contains a path separator: give a bare file name`;
  }
  if (fileName.includes("..")) return `"${printable(fileName)}" contains ".."`;
  for (const ch of fileName) {
    const code = ch.codePointAt(0) ?? 0;
    if (code < 0x20 || code === 0x7f) {
      return `the file name contains the control character U+${code.toString(16).toUpperCase().padStart(4, "0")}`;
    }
    if (SHELL_METACHARACTERS.has(ch)) {
      const what = ch === " " ? "a space" : ch === "\t" ? "a tab" : `'${ch}'`;
      return `"${fileName}" contains ${what}, a shell metacharacter`;
    }
    if (!SAFE_CHARS.test(ch)) return `"${fileName}" contains '${ch}': only letters, digits and . _ + - are allowed`;
  }
  if (fileName.startsWith("-")) return `"${fileName}" starts with '-', which a command would read as an option`;
  if (fileName.startsWith(".")) return `"${fileName}" starts with '.', a hidden file`;
  return null;
}

/** Control characters are shown escaped so a reason never prints them raw. */
function printable(text: string): string {
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  return text.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

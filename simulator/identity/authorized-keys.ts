// ksadmin's authorized keys: lines from the config plus an optional file that is re-read on
// every authentication, so the demo console can add its key after the appliance started.
import fs from "node:fs";
import ssh2, { type ParsedKey } from "ssh2";

const { utils } = ssh2;

export function readAuthorizedKeys(lines: readonly string[], file: string | undefined): ParsedKey[] {
  const all = [...lines];
  if (file) {
    try {
      all.push(...fs.readFileSync(file, "utf8").split(/\r?\n/));
    } catch {
      // A missing file just means no extra keys yet.
    }
  }
  return all.flatMap((line) => {
    const key = parseAuthorizedKeyLine(line);
    return key ? [key] : [];
  });
}

/** Parses `[options] type base64 [comment]`; options are ignored, as this simulator has none to honour. */
export function parseAuthorizedKeyLine(line: string): ParsedKey | null {
  const trimmed = line.trim();
  if (!trimmed || trimmed.startsWith("#")) return null;
  const m = /(?:^|\s)((?:ssh-|ecdsa-|sk-)\S+\s+[A-Za-z0-9+/=]+)/.exec(trimmed);
  if (!m?.[1]) return null;
  const parsed = utils.parseKey(m[1]);
  if (parsed instanceof Error) return null;
  const key = Array.isArray(parsed) ? parsed[0] : parsed;
  return key ?? null;
}

export function isAuthorized(keys: readonly ParsedKey[], offeredBlob: Buffer): ParsedKey | null {
  return keys.find((k) => k.getPublicSSH().equals(offeredBlob)) ?? null;
}

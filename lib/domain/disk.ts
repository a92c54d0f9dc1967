// Free space on `/` before ks_upgrade.sh [U7]: at least 12 GB not counting the archive, or more
// if the target release asks. Whether the archive is already on `/` changes the arithmetic,
// so the caller says so explicitly.

import { formatBytes, gib } from "./bytes";
import type { DfReading } from "./df-output";
import type { ReleaseEntry } from "./release-catalog";
import { compareReleaseLines, lineOf } from "./release-line";
import type { Version } from "./version";

export { parseDfOutput, type DfParse, type DfReading } from "./df-output";

/** The seed's floor, whatever a release's own rule says [U7]. */
export const U7_MIN_FREE_BYTES = gib(12);

export interface DiskNeed {
  bytes: number;
  basis: string;
}

/**
 * Free bytes the target needs besides the archive file. `from` decides whether a database
 * change applies; without it we assume it does, the safer answer.
 */
export function describeDiskNeed(entry: ReleaseEntry, archiveSizeBytes: number, from?: Version): DiskNeed {
  const candidates: DiskNeed[] = [{ bytes: U7_MIN_FREE_BYTES, basis: `the ${formatBytes(U7_MIN_FREE_BYTES)} minimum [U7]` }];
  const rule = entry.diskRule;
  if (rule.kind === "fixed") candidates.push({ bytes: rule.bytes, basis: `${entry.version}'s ${formatBytes(rule.bytes)} rule` });
  if (rule.kind === "archive-multiple") {
    candidates.push({ bytes: Math.ceil(rule.factor * archiveSizeBytes), basis: `${entry.version}'s rule of ${rule.factor} x the archive size` });
  }
  if (rule.kind === "fixed-plus") {
    const bytes = rule.bytes + Math.ceil(rule.archiveFactor * archiveSizeBytes);
    candidates.push({ bytes, basis: `${entry.version}'s rule of ${formatBytes(rule.bytes)} plus ${rule.archiveFactor} x the archive size` });
  }
  const db = entry.databaseChange;
  if (db && (!from || compareReleaseLines(lineOf(from), db.fromBefore) < 0)) {
    candidates.push({ bytes: db.bytes, basis: `the internal database change in ${entry.version} (${formatBytes(db.bytes)})` });
  }
  return candidates.reduce((a, b) => (b.bytes > a.bytes ? b : a));
}

export function requiredFreeBytes(entry: ReleaseEntry, archiveSizeBytes: number, from?: Version): number {
  return describeDiskNeed(entry, archiveSizeBytes, from).bytes;
}

export interface DiskCheckInput {
  reading: DfReading;
  need: DiskNeed;
  archiveSizeBytes: number;
  /** True once the archive sits on `/`: df's free space already excludes it. */
  archiveOnAppliance: boolean;
}

export type DiskCheck =
  | { ok: true; needBytes: number; availableBytes: number; message: string }
  | { ok: false; code: "insufficient" | "uncertain"; needBytes: number; availableBytes: number; shortByBytes: number; message: string; remedy: string };

export function checkDiskSpace(input: DiskCheckInput): DiskCheck {
  const { reading, need, archiveSizeBytes, archiveOnAppliance } = input;
  const needBytes = need.bytes + (archiveOnAppliance ? 0 : archiveSizeBytes);
  const available = reading.availableBytes;
  const needText = archiveOnAppliance
    ? `${formatBytes(need.bytes)} free besides the uploaded archive (${need.basis})`
    : `${formatBytes(need.bytes)} (${need.basis}) plus ${formatBytes(archiveSizeBytes)} for the archive still to be uploaded: ${formatBytes(needBytes)}`;
  const seen = `df shows ${formatBytes(available)} available on /`;
  if (available - reading.uncertaintyBytes >= needBytes) {
    return { ok: true, needBytes, availableBytes: available, message: `Needs ${needText}; ${seen}.` };
  }
  if (available >= needBytes) {
    return {
      ok: false, code: "uncertain", needBytes, availableBytes: available, shortByBytes: needBytes - (available - reading.uncertaintyBytes),
      message: `Needs ${needText}; ${seen}, but df -h rounds and the true figure may be lower.`,
      remedy: "Re-run the check with exact figures (df -P -B1 /).",
    };
  }
  return {
    ok: false, code: "insufficient", needBytes, availableBytes: available, shortByBytes: needBytes - available,
    message: `Needs ${needText}; ${seen}, ${formatBytes(needBytes - available)} short.`,
    remedy: "Free space on / (remove old archives and logs from /home/ksadmin) or grow the disk, then re-run the prechecks.",
  };
}

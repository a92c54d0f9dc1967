// The refusals of ks_upgrade.sh and ks_downgrade.sh once the signature verified: pure, so
// each rule is tested on its own. Messages are what the script prints after "ERROR: ".
import { compareVersions, formatVersion, minorOf, sameVersion, type Version } from "@/lib/domain/version";
import { formatGiB, requiredFreeBytes } from "./disk-rule";
import { untestedPath, type DowngradeTargets, type UpgradePaths } from "./upgrade-paths";

export interface FirmwareCheckInput {
  tool: "upgrade" | "downgrade";
  current: Version;
  target: Version;
  /** What the signed content calls itself, when it says. */
  archiveKind: "upgrade" | "downgrade" | null;
  archiveBytes: number;
  /** Free bytes on `/` now; the archive already sits in the home folder, so it is not counted. */
  freeBytes: number;
  minFreeOverride?: number;
  clustered: boolean;
  override: boolean;
  /** Tested starting versions per target release; null turns the check off. */
  testedPaths: UpgradePaths | null;
  /** Where each release may be downgraded to [D2]; null or absent turns the check off. */
  downgradeTargets?: DowngradeTargets | null;
}

export type FirmwareCheck = { ok: true; requiredBytes: number; overriddenPath: boolean } | { ok: false; message: string };

export function checkFirmwareChange(i: FirmwareCheckInput): FirmwareCheck {
  const cur = formatVersion(i.current);
  const tgt = formatVersion(i.target);
  if (i.tool === "upgrade") {
    if (i.archiveKind === "downgrade") return refuse(`the archive is a downgrade archive (${tgt}); use ks_downgrade.sh`);
    if (sameVersion(i.current, i.target)) return refuse(`the system is already running version ${cur}`);
    if (compareVersions(i.target, i.current) <= 0) return refuse(`version ${tgt} is not newer than the installed version ${cur}; upgrade aborted`);
  } else {
    if (i.clustered && !i.override) return refuse("this node is part of a cluster and cannot be downgraded; use -o to override");
    if (compareVersions(i.target, i.current) >= 0) return refuse(`version ${tgt} is not older than the installed version ${cur}; use ks_upgrade.sh`);
    const allowed = i.downgradeTargets ? (i.downgradeTargets[minorOf(i.current)] ?? []) : null;
    if (allowed && !allowed.includes(minorOf(i.target))) {
      return refuse(allowed.length ? `${cur} can be downgraded only to ${allowed.join(", ")}, not to ${tgt}` : `no downgrade is supported from ${cur}`);
    }
  }
  const tested = i.tool === "upgrade" && i.testedPaths ? untestedPath(i.testedPaths, i.current, i.target) : null;
  if (tested && !i.override) {
    return refuse(`an upgrade from ${cur} to ${tgt} has not been tested (${minorOf(i.target)} was tested from ${tested.join(", ")}); use -o to override`);
  }
  const required = i.minFreeOverride ?? (i.tool === "upgrade" ? requiredFreeBytes(i.target, i.archiveBytes) : requiredFreeBytes(i.current, i.archiveBytes));
  if (i.freeBytes < required) {
    return refuse(`not enough free disk space on /: ${formatGiB(required)} required (not counting the archive), ${formatGiB(i.freeBytes)} available`);
  }
  return { ok: true, requiredBytes: required, overriddenPath: tested !== null };
}

function refuse(message: string): FirmwareCheck {
  return { ok: false, message };
}

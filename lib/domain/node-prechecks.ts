// Prechecks of a single appliance, shared by the standalone, downgrade and cluster evaluators.

import { formatBytes } from "./bytes";
import { checkDiskSpace, type DiskNeed } from "./disk";
import type { DfParse } from "./df-output";
import { fail, pass, warn, type Precheck } from "./precheck";
import { isServiceHealthy, type SystemctlStatus } from "./systemctl";
import { compareVersions, formatVersion, type Version } from "./version";

export interface ApplianceFacts {
  id?: string;
  version: Version | null;
  model: string | null;
  clustered: boolean | null;
}

export interface ArchiveFacts {
  version: Version;
  sizeBytes: number;
  signatureVerified: boolean;
  reason?: string;
  /** Set when the signature verified but the appliance's own tool would refuse the file (a
   *  detached signature: ks_upgrade.sh checks the signature inside the archive). */
  notDeployable?: string;
  /** Already uploaded to `/home/ksadmin`: df's free space no longer includes it. */
  onAppliance: boolean;
}

export interface BackupFacts {
  kind: "downloaded" | "attested";
  backupDownloaded: boolean;
  keyDownloaded: boolean;
  /** The version the backup was taken on, when known. */
  applianceVersion: Version | null;
  by: string;
  attestation?: string;
}

export interface RestFacts {
  reachable: boolean;
  error?: string;
}

export interface Override {
  reason: string;
  by: string;
}

export function checkVersionObserved(a: ApplianceFacts): Precheck {
  const base = { ruleIds: ["U2"], applianceId: a.id };
  if (a.version) return pass("version-observed", { ...base, summary: `The appliance runs ${formatVersion(a.version)}.`, evidence: `version ${formatVersion(a.version)}, model ${a.model ?? "unknown"}` });
  return fail("version-observed", { ...base, summary: "The appliance's version could not be read.", evidence: "no version in GET /v1/system/info or the SSH banner", remedy: "Refresh the appliance; check that REST and SSH answer." });
}

export function checkSignature(archive: ArchiveFacts, ruleIds: string[] = ["U1", "U8"], applianceId?: string): Precheck {
  const evidence = `archive ${formatVersion(archive.version)}, ${formatBytes(archive.sizeBytes)}: ${archive.signatureVerified ? "signature verified" : archive.reason ?? "signature not verified"}`;
  if (archive.signatureVerified && archive.notDeployable) {
    return fail("archive-signature", {
      summary: "The appliance would refuse this archive: its signature is detached, not inside the file.", evidence: archive.notDeployable, ruleIds, applianceId,
      remedy: "Upload the vendor's signed .tar.gz.gpg of this version from the Support Portal, then re-run the prechecks.",
    });
  }
  if (archive.signatureVerified) return pass("archive-signature", { summary: "The archive's vendor signature verified.", evidence, ruleIds, applianceId });
  return fail("archive-signature", {
    summary: "The archive's signature does not verify.", evidence, ruleIds, applianceId,
    remedy: "Re-download the archive from the Support Portal and upload it again; contact Thales support if it happens again.",
  });
}

export function checkDisk(disk: DfParse, need: DiskNeed, archive: ArchiveFacts, ruleIds: string[] = ["U7"], applianceId?: string): Precheck {
  if (!disk.ok) {
    return fail("disk-space", { summary: "Free space on / could not be read.", evidence: disk.message, remedy: "Re-run the prechecks; if df keeps failing, check the appliance over SSH.", ruleIds, applianceId });
  }
  const result = checkDiskSpace({ reading: disk.reading, need, archiveSizeBytes: archive.sizeBytes, archiveOnAppliance: archive.onAppliance });
  const evidence = disk.reading.line;
  if (result.ok) return pass("disk-space", { summary: result.message, evidence, ruleIds, applianceId });
  return fail("disk-space", { summary: result.message, evidence, remedy: result.remedy, ruleIds, applianceId });
}

export function checkService(service: SystemctlStatus, ruleIds: string[] = ["U10"], applianceId?: string): Precheck {
  const evidence = service.line;
  if (isServiceHealthy(service)) return pass("service-health", { summary: "keysecure is active (running).", evidence, ruleIds, applianceId });
  const remedy =
    service.state === "activating"
      ? "keysecure is still starting; wait until it is active (running), then re-run the prechecks."
      : "Bring keysecure back to active (running) (see systemctl status keysecure) before changing firmware.";
  return fail("service-health", { summary: `keysecure is not healthy: ${service.detail}`, evidence, remedy, ruleIds, applianceId });
}

export function checkRest(rest: RestFacts, applianceId?: string): Precheck {
  const ruleIds = ["U4", "U10"];
  if (rest.reachable) return pass("rest-reachable", { summary: "The REST API answers.", evidence: "GET /api/v1/system/info answered", ruleIds, applianceId });
  return fail("rest-reachable", {
    summary: "The REST API does not answer.", evidence: rest.error ?? "no answer", ruleIds, applianceId,
    remedy: "The console needs REST to take the backup and to confirm the services afterwards; check the appliance's network and web interface.",
  });
}

/** A backup plus its key, off the appliance, before any firmware change [U4]; never restored onto an older version [U5]. */
export function checkBackup(backup: BackupFacts | undefined, current: Version | null, ruleIds: string[] = ["U4", "U5"], applianceId?: string): Precheck {
  if (!backup) {
    return warn("backup", {
      summary: "No backup is confirmed yet.", evidence: "no BackupConfirmation for this plan", ruleIds, applianceId,
      remedy: "Take a backup and download it with its backup key (or attest one) before launching; the plan cannot start without it.",
    });
  }
  const taken = backup.applianceVersion ? formatVersion(backup.applianceVersion) : "an unknown version";
  const evidence = backup.kind === "attested" ? `attested by ${backup.by}: ${backup.attestation ?? ""}`.trim() : `backup downloaded: ${backup.backupDownloaded}, key downloaded: ${backup.keyDownloaded}, taken on ${taken}`;
  if (backup.kind === "downloaded" && !(backup.backupDownloaded && backup.keyDownloaded)) {
    return fail("backup", { summary: "The backup or its key has not been downloaded off the appliance.", evidence, remedy: "Download both the backup and its backup key; one without the other cannot restore.", ruleIds, applianceId });
  }
  if (backup.applianceVersion && current && compareVersions(backup.applianceVersion, current) > 0) {
    return fail("backup", { summary: `The backup was taken on ${taken}, newer than the appliance's ${formatVersion(current)}; it can never be restored here.`, evidence, remedy: "Take a new backup on the current version.", ruleIds, applianceId });
  }
  if (backup.applianceVersion && current && compareVersions(backup.applianceVersion, current) < 0) {
    return warn("backup", { summary: `The backup was taken on ${taken}, before the appliance reached ${formatVersion(current)}; it misses later changes.`, evidence, remedy: "Take a fresh backup on the current version.", ruleIds, applianceId });
  }
  return pass("backup", { summary: backup.kind === "attested" ? "An operator attested a backup with its key." : "A backup and its key are downloaded.", evidence, ruleIds, applianceId });
}

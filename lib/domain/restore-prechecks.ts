// Prechecks of the production way back [D6]: one unclustered appliance, a verified archive of the
// desired version, and a backup to restore that was made on that version or an older one [U5].

import { checkRest, checkService, checkSignature, checkVersionObserved, type ApplianceFacts, type ArchiveFacts, type RestFacts } from "./node-prechecks";
import { fail, pass, type Precheck } from "./precheck";
import type { SystemctlStatus } from "./systemctl";
import { compareVersions, formatVersion, type Version } from "./version";

export interface RestoreFacts {
  appliance: ApplianceFacts;
  target: Version;
  archive: ArchiveFacts;
  service: SystemctlStatus;
  rest: RestFacts;
  restoreBackup: { id: string; madeOn: Version | null; downloaded: boolean } | null;
}

export function evaluateRestorePrechecks(f: RestoreFacts): Precheck[] {
  const id = f.appliance.id;
  return [
    checkVersionObserved(f.appliance),
    f.appliance.clustered === false
      ? pass("cluster-state", { ruleIds: ["D6"], applianceId: id, summary: "The appliance is not in a cluster.", evidence: 'GET /v1/cluster: status "none"' })
      : fail("cluster-state", { ruleIds: ["D6"], applianceId: id, summary: "The appliance is in a cluster (or its membership is unknown).", evidence: `clustered: ${f.appliance.clustered}`, remedy: "Take it out of the cluster first, or rebuild the cluster with the remove/rebuild method." }),
    checkSignature(f.archive, ["U1", "D6"], id),
    checkService(f.service, ["U10"], id),
    checkRest(f.rest, id),
    checkRestoreBackup(f, id),
  ];
}

function checkRestoreBackup(f: RestoreFacts, applianceId?: string): Precheck {
  const base = { ruleIds: ["U5", "D6"], applianceId };
  const b = f.restoreBackup;
  if (!b) return fail("backup", { ...base, summary: "No backup is chosen to restore.", evidence: "none", remedy: "Choose a backup made on the desired version or an older one." });
  if (!b.madeOn) return fail("backup", { ...base, summary: "The version the backup was made on is unknown.", evidence: `backup ${b.id}`, remedy: "Choose a backup the console downloaded, whose version it recorded." });
  if (compareVersions(b.madeOn, f.target) > 0) {
    return fail("backup", { ...base, summary: `Backup ${b.id} was made on ${formatVersion(b.madeOn)}, newer than ${formatVersion(f.target)}: restoring a newer backup onto an older version is never supported.`, evidence: `made on ${formatVersion(b.madeOn)}`, remedy: "Choose a backup made on the desired version or an older one." });
  }
  if (!b.downloaded) return fail("backup", { ...base, summary: `Backup ${b.id} and its key were not downloaded off the appliance.`, evidence: `backup ${b.id}`, remedy: "Use a backup the console downloaded with its key." });
  return pass("backup", { ...base, summary: `Backup ${b.id} (made on ${formatVersion(b.madeOn)}) will be restored.`, evidence: `made on ${formatVersion(b.madeOn)}, downloaded with its key` });
}

// Prechecks for a standalone (unclustered) upgrade hop, as pure functions of what the worker
// observed. Run before the first hop and again before each later one.

import { describeDiskNeed, U7_MIN_FREE_BYTES, type DiskNeed } from "./disk";
import type { DfParse } from "./df-output";
import {
  checkBackup, checkDisk, checkRest, checkService, checkSignature, checkVersionObserved,
  type ApplianceFacts, type ArchiveFacts, type BackupFacts, type Override, type RestFacts,
} from "./node-prechecks";
import { fail, pass, warn, type Precheck } from "./precheck";
import { findRelease, type ReleaseCatalog } from "./release-catalog";
import { lineOf } from "./release-line";
import type { SystemctlStatus } from "./systemctl";
import { computeUpgradePath } from "./upgrade-path";
import { describeHopTarget, matchHopTarget } from "./upgrade-path-types";
import { formatVersion, type Version } from "./version";

export { isPlanBlocked, type PlanBlock, type Precheck, type PrecheckId, type PrecheckStatus } from "./precheck";
export type { ApplianceFacts, ArchiveFacts, BackupFacts, Override, RestFacts } from "./node-prechecks";

export interface StandaloneFacts {
  catalog: ReleaseCatalog;
  appliance: ApplianceFacts;
  /** The plan's final target; the archive is for the next hop towards it. */
  target: Version;
  disk: DfParse;
  service: SystemctlStatus;
  rest: RestFacts;
  archive: ArchiveFacts;
  backup?: BackupFacts;
  override?: Override;
}

export function evaluateStandalonePrechecks(facts: StandaloneFacts): Precheck[] {
  const id = facts.appliance.id;
  return [
    checkVersionObserved(facts.appliance),
    checkUnclustered(facts.appliance),
    checkStandalonePath(facts),
    checkSignature(facts.archive, ["U1", "U8"], id),
    checkDisk(facts.disk, diskNeedFor(facts.catalog, facts.archive, facts.appliance.version), facts.archive, ["U7"], id),
    checkService(facts.service, ["U10"], id),
    checkRest(facts.rest, id),
    checkBackup(facts.backup, facts.appliance.version, ["U4", "U5"], id),
  ];
}

export function diskNeedFor(catalog: ReleaseCatalog, archive: ArchiveFacts, from: Version | null): DiskNeed {
  const entry = findRelease(catalog, lineOf(archive.version));
  if (!entry) return { bytes: U7_MIN_FREE_BYTES, basis: "the 12 GB minimum [U7] (the target is not in the catalog)" };
  return describeDiskNeed(entry, archive.sizeBytes, from ?? undefined);
}

function checkUnclustered(a: ApplianceFacts): Precheck {
  const base = { ruleIds: ["M1", "M2", "M3"], applianceId: a.id };
  if (a.clustered === false) return pass("cluster-state", { ...base, summary: "The appliance is not in a cluster.", evidence: 'GET /v1/cluster: status "none"' });
  if (a.clustered === true) {
    return fail("cluster-state", { ...base, summary: "The appliance is in a cluster.", evidence: "GET /v1/cluster reports a cluster", remedy: "Plan the upgrade with a cluster method (online in-place, offline in-place or remove/rebuild)." });
  }
  return fail("cluster-state", { ...base, summary: "Cluster membership could not be read.", evidence: "no answer from GET /v1/cluster", remedy: "Refresh the appliance and re-run the prechecks." });
}

/** The archive must be the next hop on a path to the target [U2]; an override must say who and why. */
function checkStandalonePath(facts: StandaloneFacts): Precheck {
  const base = { ruleIds: ["U2"], applianceId: facts.appliance.id };
  const from = facts.appliance.version;
  const target = formatVersion(facts.target);
  if (!from) return fail("upgrade-path", { ...base, summary: "The path cannot be checked without the appliance's version.", evidence: `target ${target}` });
  const override = facts.override;
  if (override && (override.reason.trim() === "" || override.by.trim() === "")) {
    return fail("upgrade-path", { ...base, summary: "An override needs a reason and the admin's name.", evidence: `override by "${override.by}": "${override.reason}"`, remedy: "Record why the untested upgrade is acceptable." });
  }
  const path = computeUpgradePath(facts.catalog, from, facts.target, "standalone", { override: override !== undefined });
  if (!path.ok) return fail("upgrade-path", { ...base, summary: path.message, evidence: `${formatVersion(from)} -> ${target}: ${path.code}`, remedy: "Choose another target version, or an admin edits the release catalog from the release notes." });
  const hop = path.hops[0];
  const evidence = `${formatVersion(from)} -> ${path.hops.map((h) => describeHopTarget(h.to)).join(" -> ")}; archive ${formatVersion(facts.archive.version)}`;
  if (!hop || !matchHopTarget(facts.archive.version, hop.to)) {
    return fail("upgrade-path", { ...base, summary: `The archive is ${formatVersion(facts.archive.version)}, but the next hop needs ${hop ? describeHopTarget(hop.to) : "none"}.`, evidence, remedy: "Use a verified archive for the next hop." });
  }
  if (!hop.tested) {
    return warn("upgrade-path", { ...base, summary: `Untested upgrade, allowed by ${override?.by}: ${hop.note}`, evidence: `${evidence}; override reason: ${override?.reason}` });
  }
  const flag = hop.forceFlag ? " This hop is a pass-through and runs with ks_upgrade.sh -o." : "";
  return pass("upgrade-path", { ...base, summary: `${path.message}${flag}`, evidence });
}

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
import { checkUpgradeHop, computeUpgradePath } from "./upgrade-path";
import { describeHopTarget } from "./upgrade-path-types";
import { formatVersion, sameVersion, type Version } from "./version";

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

/**
 * The archive's hop must be tested (or a pass-through, or overridden by a named admin when no
 * tested path exists), and the target must stay reachable from where it lands [U2].
 */
function checkStandalonePath(facts: StandaloneFacts): Precheck {
  const base = { ruleIds: ["U2"], applianceId: facts.appliance.id };
  const from = facts.appliance.version;
  const { catalog, target, archive, override } = facts;
  if (!from) return fail("upgrade-path", { ...base, summary: "The path cannot be checked without the appliance's version.", evidence: `target ${formatVersion(target)}` });
  if (override && (override.reason.trim() === "" || override.by.trim() === "")) {
    return fail("upgrade-path", { ...base, summary: "An override needs a reason and the admin's name.", evidence: `override by "${override.by}": "${override.reason}"`, remedy: "Record why the untested upgrade is acceptable." });
  }
  const planned = computeUpgradePath(catalog, from, target, "standalone", { override: override !== undefined, archives: [archive.version] });
  const plannedText = planned.ok ? planned.hops.map((h) => describeHopTarget(h.to)).join(" -> ") : planned.code;
  const evidence = `${formatVersion(from)} -> ${formatVersion(target)}: ${plannedText}; archive ${formatVersion(archive.version)}`;
  const refuse = (summary: string, remedy: string) => fail("upgrade-path", { ...base, summary, evidence, remedy });
  if (!planned.ok) return refuse(planned.message, "Choose another target version, or an admin edits the release catalog from the release notes.");
  const next = planned.hops[0];
  const nextText = `The next hop on the tested path needs ${next ? describeHopTarget(next.to) : "nothing"}.`;
  const hop = checkUpgradeHop(catalog, from, archive.version);
  const isFinal = sameVersion(archive.version, target);
  const onward = isFinal ? null : computeUpgradePath(catalog, archive.version, target, "standalone", { override: override !== undefined });
  if (onward && !onward.ok) return refuse(`From ${formatVersion(archive.version)} there is no way on to ${formatVersion(target)}: ${onward.message}`, `Use a verified archive for ${next ? describeHopTarget(next.to) : "the target"}.`);
  switch (hop.kind) {
    case "tested":
      return pass("upgrade-path", { ...base, summary: `${hop.message} Planned: ${plannedText}.`, evidence });
    case "pass-through":
      if (isFinal) return refuse(hop.message, `Choose a release beyond ${formatVersion(target)} as the target.`);
      return pass("upgrade-path", { ...base, summary: `${hop.message} This hop runs with ks_upgrade.sh -o.`, evidence });
    case "untested":
      // An override covers only the case where no tested path exists.
      if (override && next && !next.tested) return warn("upgrade-path", { ...base, summary: `Untested upgrade, allowed by ${override.by}: ${hop.message}`, evidence: `${evidence}; override reason: ${override.reason}` });
      return refuse(`${hop.message} ${nextText}`, "Use a verified archive for the next hop.");
    default:
      return refuse(`${hop.message} ${nextText}`, "Use a verified archive for the next hop.");
  }
}

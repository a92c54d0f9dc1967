// Prechecks before a downgrade. A downgrade wipes the appliance [D3] and is for test systems
// only [D5], so several checks here ask a person to look rather than just to pass.

import { U7_MIN_FREE_BYTES } from "./disk";
import type { DfParse } from "./df-output";
import {
  checkBackup, checkDisk, checkService, checkSignature, checkVersionObserved,
  type ApplianceFacts, type ArchiveFacts, type BackupFacts, type Override,
} from "./node-prechecks";
import { fail, pass, warn, type Precheck } from "./precheck";
import type { ReleaseCatalog } from "./release-catalog";
import type { SystemctlStatus } from "./systemctl";
import { computeUpgradePath } from "./upgrade-path";
import { formatVersion, sameVersion, type Version } from "./version";

export interface DowngradeFacts {
  catalog: ReleaseCatalog;
  appliance: ApplianceFacts;
  target: Version;
  disk: DfParse;
  service: SystemctlStatus;
  archive: ArchiveFacts;
  backup?: BackupFacts;
  /** The operator confirmed this appliance serves no production traffic [D5]. */
  testEnvironmentConfirmed: boolean;
  override?: Override;
}

export function evaluateDowngradePrechecks(facts: DowngradeFacts): Precheck[] {
  const id = facts.appliance.id;
  const service = checkService(facts.service, ["U10"], id);
  return [
    checkVersionObserved(facts.appliance),
    checkDowngradePath(facts),
    checkSignature(facts.archive, ["U1", "D7"], id),
    // [A] Downgrade space needs are not published; we hold it to the upgrade floor.
    checkDisk(facts.disk, { bytes: U7_MIN_FREE_BYTES, basis: "the 12 GB minimum, assumed for downgrades" }, facts.archive, ["U7"], id),
    // The service state matters less: the downgrade resets the appliance anyway.
    service.status === "fail" ? { ...service, status: "warn" as const } : service,
    checkBackup(facts.backup, facts.appliance.version, ["U4", "U5", "D3"], id),
    checkImpact(facts),
    checkModel(facts.appliance),
  ];
}

function checkDowngradePath(facts: DowngradeFacts): Precheck {
  const base = { ruleIds: ["D1", "D2"], applianceId: facts.appliance.id };
  const from = facts.appliance.version;
  if (!from) return fail("upgrade-path", { ...base, summary: "The downgrade cannot be checked without the appliance's version.", evidence: `target ${formatVersion(facts.target)}` });
  const clustered = facts.appliance.clustered !== false;
  const override = facts.override && facts.override.reason.trim() !== "" ? facts.override : undefined;
  const path = computeUpgradePath(facts.catalog, from, facts.target, "downgrade", { clustered, override: override !== undefined });
  const evidence = `${formatVersion(from)} -> ${formatVersion(facts.target)}, clustered: ${facts.appliance.clustered ?? "unknown"}, archive ${formatVersion(facts.archive.version)}`;
  if (!path.ok) {
    const remedy = path.code === "clustered-downgrade" ? "Remove the node from its cluster, or have an admin override with a reason." : "Downgrade only to the version the release notes name.";
    return fail("upgrade-path", { ...base, summary: path.message, evidence, remedy });
  }
  if (!sameVersion(facts.archive.version, facts.target)) {
    return fail("upgrade-path", { ...base, summary: `The archive is ${formatVersion(facts.archive.version)}, not the downgrade target ${formatVersion(facts.target)}.`, evidence, remedy: "Use the archive of the target version." });
  }
  if (path.hops[0]?.forceFlag) {
    return warn("upgrade-path", { ...base, summary: `Downgrading a clustered node with -o, by ${override?.by}.`, evidence: `${evidence}; override reason: ${override?.reason}` });
  }
  return pass("upgrade-path", { ...base, summary: path.message, evidence });
}

/** Always at least a warning: the person launching must read what a downgrade does. */
function checkImpact(facts: DowngradeFacts): Precheck {
  const base = {
    ruleIds: ["D3", "D5", "D6"],
    applianceId: facts.appliance.id,
    evidence: `test environment confirmed: ${facts.testEnvironmentConfirmed}`,
  };
  const words = "The downgrade wipes all data except existing backup files, and a downgraded system is for test environments only.";
  if (!facts.testEnvironmentConfirmed) {
    return fail("downgrade-impact", { ...base, summary: `${words} Nobody has confirmed this is a test appliance.`, remedy: "Confirm it is a test appliance. To take production back a version: backup, factory reset, upgrade to the desired version, restore the backup." });
  }
  return warn("downgrade-impact", { ...base, summary: words });
}

function checkModel(a: ApplianceFacts): Precheck {
  const base = { ruleIds: ["D4"], applianceId: a.id, evidence: `model ${a.model ?? "unknown"}` };
  if (a.model && /k570/i.test(a.model)) {
    return warn("model", { ...base, summary: "On a k570 the PCI HSM drivers and base OS packages stay at their current version after the downgrade." });
  }
  return pass("model", { ...base, summary: "No model-specific downgrade caveat." });
}

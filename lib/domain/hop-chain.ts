// The vendor's unclustered upgrade of one node for one hop [U4]-[U10], as steps in three parts:
// prepare (precheck, backup, upload to ksadmin's home, sha256, disk re-check), apply
// (ks_upgrade.sh, reboot, wait) and finish (postcheck, cleanup). Methods put gates between them.

import { REMOTE_ARCHIVE_DIRECTORY, stepKey, uploadDeadlineSeconds } from "./plan-step";
import type { PlanHop, PlanNode } from "./plan-compiler-types";
import type { StepBuilder } from "./step-builder";

export interface HopContext {
  node: PlanNode;
  hop: PlanHop;
  hopIndex: number; // 1-based
  hopCount: number;
  direction?: "upgrade" | "downgrade";
}

export interface PrepareKeys { precheck?: string; backup?: string; upload: string; verify: string; diskCheck: string }
export interface ApplyKeys { run: string; reboot: string; waitReturn: string }
export interface FinishKeys { postcheck: string; cleanup?: string; last: string }

const scope = (c: HopContext) => ({ applianceId: c.node.applianceId, hop: c.hopIndex });
const suffix = (c: HopContext) => (c.hopCount > 1 ? ` (hop ${c.hopIndex} of ${c.hopCount})` : "");

export function addPrepareSteps(
  b: StepBuilder, c: HopContext, o: { after: string[]; precheck?: boolean; backup?: boolean; uploadAfter?: string[] },
): PrepareKeys {
  const base = scope(c);
  const name = b.label(c.node);
  const version = c.hop.archiveVersion;
  const archive = { archiveVersion: version, archiveSizeBytes: c.hop.archiveSizeBytes };
  const precheck = o.precheck === false ? undefined : b.add({
    ...base, key: stepKey({ kind: "precheck", ...base }), kind: "precheck", dependsOn: o.after, ruleIds: ["U2", "U7", "U10"],
    title: `Precheck ${name} before ${version}${suffix(c)}`,
  });
  const start = precheck ? [precheck] : o.after;
  const backup = o.backup ? b.add({
    ...base, key: stepKey({ kind: "backup", ...base }), kind: "backup", dependsOn: start, ruleIds: ["U4"],
    title: `Back up ${name} and download the backup with its key`,
  }) : undefined;
  const upload = b.add({
    ...base, ...archive, key: stepKey({ kind: "upload-archive", ...base }), kind: "upload-archive", dependsOn: o.uploadAfter ?? start, ruleIds: ["U6"],
    deadlineSeconds: uploadDeadlineSeconds(c.hop.archiveSizeBytes, b.deadlineOf("upload-archive")),
    title: `Upload the ${version} archive to ${name}:${REMOTE_ARCHIVE_DIRECTORY}`,
  });
  const verify = b.add({
    ...base, ...archive, key: stepKey({ kind: "verify-upload", ...base }), kind: "verify-upload", dependsOn: [upload], ruleIds: ["U6"],
    title: `Verify the upload on ${name} (sha256)`,
  });
  const diskCheck = b.add({
    ...base, ...archive, key: stepKey({ kind: "disk-check", ...base }), kind: "disk-check", dependsOn: [verify, ...start], ruleIds: ["U7"],
    title: `Re-check free space on ${name} with the archive in place`,
  });
  return { precheck, backup, upload, verify, diskCheck };
}

export function addApplySteps(b: StepBuilder, c: HopContext, o: { after: string[] }): ApplyKeys {
  const base = scope(c);
  const name = b.label(c.node);
  const downgrade = c.direction === "downgrade";
  const kind = downgrade ? "run-downgrade" : "run-upgrade";
  const run = b.add({
    ...base, archiveVersion: c.hop.archiveVersion, archiveSizeBytes: c.hop.archiveSizeBytes, forceFlag: c.hop.forceFlag,
    key: stepKey({ kind, ...base }), kind, dependsOn: o.after, ruleIds: downgrade ? ["D7"] : ["U8"],
    title: `Run ${downgrade ? "ks_downgrade.sh" : "ks_upgrade.sh"} to ${c.hop.archiveVersion} on ${name}${c.hop.forceFlag ? " with -o" : ""}${suffix(c)}`,
  });
  // [A] The downgrade's reboot prompt is not public; the worker observes and skips it if not asked.
  const reboot = b.add({ ...base, key: stepKey({ kind: "reboot", ...base }), kind: "reboot", dependsOn: [run], ruleIds: ["U9"], title: `Reboot ${name}` });
  const waitReturn = b.add({
    ...base, key: stepKey({ kind: "wait-return", ...base }), kind: "wait-return", dependsOn: [reboot], ruleIds: ["O2"],
    title: `Wait for ${name} to come back`,
  });
  return { run, reboot, waitReturn };
}

export function addFinishSteps(b: StepBuilder, c: HopContext, o: { after: string[] }): FinishKeys {
  const base = scope(c);
  const name = b.label(c.node);
  const postcheck = b.add({
    ...base, key: stepKey({ kind: "postcheck", ...base }), kind: "postcheck", dependsOn: o.after, ruleIds: ["U10"],
    title: `Check ${name} runs ${c.hop.archiveVersion} with keysecure active`,
  });
  // The ~5 GB archive on `/` counts against the next hop's free space, and the console keeps the
  // verified original. Removed only after success: a failed hop keeps it for a retry.
  const cleanup = b.options.cleanupArchive ? b.add({
    ...base, key: stepKey({ kind: "cleanup", ...base }), kind: "cleanup", dependsOn: [postcheck], ruleIds: ["U7"],
    title: `Remove the ${c.hop.archiveVersion} archive from ${name}`,
  }) : undefined;
  return { postcheck, cleanup, last: cleanup ?? postcheck };
}

/** The three parts in a row, as the unclustered procedure runs them. */
export function addHopChain(
  b: StepBuilder, c: HopContext,
  o: { after: string[]; runAfter?: string[]; precheck?: boolean; backup?: boolean; uploadAfter?: string[] },
): PrepareKeys & ApplyKeys & FinishKeys {
  const prepare = addPrepareSteps(b, c, o);
  const apply = addApplySteps(b, c, { after: [prepare.diskCheck, ...(prepare.backup ? [prepare.backup] : []), ...(o.runAfter ?? [])] });
  const finish = addFinishSteps(b, c, { after: [apply.waitReturn] });
  return { ...prepare, ...apply, ...finish };
}

// Which verified archives may go to an appliance. `ks_upgrade.sh -f <file>` (and ks_downgrade.sh)
// takes ONE file and checks the signature inside it: the vendor's signed `.tar.gz.gpg`. A `.tar.gz`
// verified with a detached signature is genuine (intake checked it) but the appliance would refuse
// it as unsigned, so it stays in the catalog and is never chosen for a plan, a campaign or a copy.
// This file is the one place that rule lives; everything that picks an archive asks it.
export interface ArchiveDeployFacts {
  fileName: string;
  status: string;
  format: string | null;
  version: string | null;
  kind?: string | null;
}

export type Deployability = { deployable: true; reason: null } | { deployable: false; reason: string };

const SIGNED_ARCHIVE_SUFFIX = ".tar.gz.gpg";

/** True when the signature travels beside the file instead of inside it. */
function signedApart(row: Pick<ArchiveDeployFacts, "fileName" | "format">): boolean {
  return row.format === "detached" || !row.fileName.endsWith(SIGNED_ARCHIVE_SUFFIX);
}

/**
 * Whether the archive may be sent to an appliance, and if not, a sentence naming the file and
 * what to do. Only a verified archive can be deployable; an unverified one's reason is its status
 * (its refusal has its own words in `refusalReason`).
 */
export function deployableArchive(row: ArchiveDeployFacts): Deployability {
  if (row.status !== "verified") return { deployable: false, reason: `${row.fileName} is not verified (status ${row.status}).` };
  if (!signedApart(row)) return { deployable: true, reason: null };
  const tool = row.kind === "downgrade" ? "ks_downgrade.sh" : "ks_upgrade.sh";
  return {
    deployable: false,
    reason: `${row.fileName} is verified with a detached signature; ${tool} on the appliance checks the signature inside the archive, so it would refuse this file. Upload the vendor's signed .tar.gz.gpg of ${row.version ?? "this version"}.`,
  };
}

/**
 * An archive as a path-matching candidate (lib/domain/path-archives.ts): it serves a hop only
 * when verified AND deployable; a verified detached one is kept so that the gap names it.
 */
export function archiveCandidateFlags(row: ArchiveDeployFacts): { verified: boolean; notDeployableReason?: string } {
  const d = deployableArchive(row);
  if (d.deployable) return { verified: true };
  return row.status === "verified" ? { verified: false, notDeployableReason: d.reason } : { verified: false };
}

/** Why an already chosen archive must not be sent (launch, upload step, distribution), or null. */
export function undeployableReason(row: ArchiveDeployFacts): string | null {
  const d = deployableArchive(row);
  return d.deployable ? null : d.reason;
}

/** An archive row as the API gives it: with whether an appliance can take it, and if not why. */
export function withDeployability<T extends ArchiveDeployFacts>(row: T): T & { deployable: boolean; undeployableReason: string | null } {
  const d = deployableArchive(row);
  return { ...row, deployable: d.deployable, undeployableReason: row.status === "verified" ? d.reason : null };
}

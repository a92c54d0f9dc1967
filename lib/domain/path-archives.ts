// Which Archive serves each hop. Only archives whose signature verified count: the console never
// plans with a file it could not prove came from the vendor [U1].

import { describeHopTarget, matchHopTarget, type UpgradeHop } from "./upgrade-path-types";
import { compareVersions, formatVersion, type Version } from "./version";

export interface ArchiveCandidate {
  version: Version;
  verified: boolean;
  /** Verified, but the appliance cannot take it (a detached signature: lib/archives/deployable.ts). */
  notDeployableReason?: string;
}

export interface ArchiveGap {
  hop: UpgradeHop;
  code: "missing" | "unverified" | "not-deployable";
  message: string;
}

export type ArchiveMatch<A extends ArchiveCandidate> =
  | { ok: true; assignments: { hop: UpgradeHop; archive: A }[] }
  | { ok: false; assignments: { hop: UpgradeHop; archive: A }[]; missing: ArchiveGap[]; message: string };

/** Picks, per hop, the newest verified archive the hop may land on. */
export function findArchivesForPath<A extends ArchiveCandidate>(path: { hops: readonly UpgradeHop[] }, archives: readonly A[]): ArchiveMatch<A> {
  const assignments: { hop: UpgradeHop; archive: A }[] = [];
  const missing: ArchiveGap[] = [];
  for (const hop of path.hops) {
    const fitting = archives.filter((a) => matchHopTarget(a.version, hop.to)).sort((a, b) => compareVersions(b.version, a.version));
    const archive = fitting.find((a) => a.verified);
    if (archive) {
      assignments.push({ hop, archive });
      continue;
    }
    const wanted = describeHopTarget(hop.to);
    // A verified file the appliance would refuse says what to upload instead, before any refusal.
    const undeployable = fitting.find((a) => a.notDeployableReason);
    const unverified = fitting[0];
    missing.push(
      undeployable
        ? { hop, code: "not-deployable", message: `Hop ${hop.index}: ${undeployable.notDeployableReason}` }
        : unverified
        ? { hop, code: "unverified", message: `Hop ${hop.index}: the archive for ${formatVersion(unverified.version)} has no verified signature; upload it again from the Support Portal.` }
        : { hop, code: "missing", message: `Hop ${hop.index}: no verified archive for ${wanted}; upload one from the Support Portal.` },
    );
  }
  if (missing.length === 0) return { ok: true, assignments };
  return { ok: false, assignments, missing, message: missing.map((m) => m.message).join(" ") };
}

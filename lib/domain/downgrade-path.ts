// Downgrades go only where the release notes say [D2] (2.11.0 -> 2.10.0), and only on an
// unclustered appliance unless an admin overrides, which passes `-o` to ks_downgrade.sh [D1][D7].

import { findRelease, latestPatchOf, type ReleaseCatalog } from "./release-catalog";
import { lineOf } from "./release-line";
import type { PathOptions, UpgradePathResult } from "./upgrade-path";
import { compareVersions, formatVersion, parseVersion, type Version } from "./version";
import { formatVersionRanges, matchVersionRange } from "./version-range";

export function computeDowngradePath(catalog: ReleaseCatalog, from: Version, to: Version, options: PathOptions): UpgradePathResult {
  const method = "downgrade" as const;
  const f = formatVersion(from);
  const t = formatVersion(to);
  if (compareVersions(to, from) >= 0) {
    return { ok: false, method, code: "not-a-downgrade", message: `${t} is not older than ${f}; use an upgrade method.` };
  }
  const entry = findRelease(catalog, lineOf(from));
  const documented = entry?.downgradeTo ? parseVersion(entry.downgradeTo) : null;
  if (!entry || !documented) {
    return { ok: false, method, code: "no-downgrade", message: `The release notes name no downgrade from ${lineOf(from)} [D2]; a production appliance goes back by backup, factory reset, upgrade and restore [D6].` };
  }
  if (compareVersions(to, documented) !== 0) {
    return { ok: false, method, code: "downgrade-target-mismatch", message: `${lineOf(from)} can only be downgraded to ${formatVersion(documented)}, not ${t} [D2].` };
  }
  const sources = entry.downgradeFrom ?? [];
  if (sources.length > 0 && !sources.some((r) => matchVersionRange(from, r, latestPatchOf(catalog, r.line)) === "match")) {
    return { ok: false, method, code: "downgrade-source-mismatch", message: `The downgrade to ${formatVersion(documented)} is documented from ${formatVersionRanges(sources)}, not ${f} [D2].` };
  }
  if (options.clustered && !options.override) {
    return { ok: false, method, code: "clustered-downgrade", message: `${f} is a cluster node; downgrade is only supported on unclustered appliances [D1]. Remove it from the cluster first, or an admin may override (ks_downgrade.sh -o).` };
  }
  const forced = options.clustered === true;
  const note = forced ? "Downgrade of a clustered node, forced with -o by an admin override [D1]." : `Documented downgrade ${f} -> ${t} [D2].`;
  return {
    ok: true,
    method,
    from,
    to,
    hops: [{ index: 1, direction: "downgrade", from: { kind: "exact", version: from }, to: { kind: "exact", version: to }, tested: true, forceFlag: forced, note }],
    message: `1 hop: downgrade to ${t}. It wipes all data except existing backup files [D3].`,
  };
}

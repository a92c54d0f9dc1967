// One hop: can an appliance on `from` run ks_upgrade.sh with a `to` archive? The answer follows
// the target release's notes in the catalog [U2]; nothing here knows about clusters.

import { findRelease, latestPatchOf, type ReleaseCatalog, type ReleaseEntry } from "./release-catalog";
import { lineOf } from "./release-line";
import { compareVersions, formatVersion, type Version } from "./version";
import { formatVersionRanges, matchVersionRange, type VersionRange } from "./version-range";

export type HopCheck =
  | { kind: "tested"; basis: "release-notes" | "same-line-patch"; range?: VersionRange; message: string }
  | { kind: "pass-through"; range: VersionRange; message: string }
  | { kind: "untested"; code: "not-in-tested-list" | "latest-patch-unknown"; message: string }
  | { kind: "unsupported"; range: VersionRange; message: string }
  | { kind: "not-an-upgrade"; message: string }
  | { kind: "unknown-target"; message: string };

export type SourceMatch =
  | { kind: "tested"; range: VersionRange }
  | { kind: "pass-through"; range: VersionRange }
  | { kind: "unsupported"; range: VersionRange }
  | { kind: "latest-unknown"; range: VersionRange }
  | { kind: "none" };

/** How the target's notes classify a starting version; "unsupported" wins over everything. */
export function matchSource(catalog: ReleaseCatalog, entry: ReleaseEntry, from: Version): SourceMatch {
  const latest = (range: VersionRange) => latestPatchOf(catalog, range.line);
  const first = (ranges: readonly VersionRange[] | undefined) =>
    (ranges ?? []).find((r) => matchVersionRange(from, r, latest(r)) === "match");
  const unsupported = first(entry.unsupportedFrom);
  if (unsupported) return { kind: "unsupported", range: unsupported };
  const tested = first(entry.testedFrom);
  if (tested) return entry.passThroughOnly ? { kind: "pass-through", range: tested } : { kind: "tested", range: tested };
  const pass = first(entry.passThroughFrom);
  if (pass) return { kind: "pass-through", range: pass };
  const unknown = entry.testedFrom.find((r) => matchVersionRange(from, r, latest(r)) === "latest-unknown");
  return unknown ? { kind: "latest-unknown", range: unknown } : { kind: "none" };
}

export function checkUpgradeHop(catalog: ReleaseCatalog, from: Version, to: Version): HopCheck {
  const f = formatVersion(from);
  const t = formatVersion(to);
  if (compareVersions(to, from) <= 0) {
    return { kind: "not-an-upgrade", message: `${t} is not newer than ${f}; going back a version is a downgrade, which has its own rules.` };
  }
  const entry = findRelease(catalog, lineOf(to));
  if (!entry) {
    return { kind: "unknown-target", message: `The release catalog has no ${lineOf(to)} line; an admin must add it from the release notes before planning.` };
  }
  if (lineOf(from) === lineOf(to)) {
    // [A] Patch-to-patch within a line: the notes of 2.12 and 2.14 say these were tested.
    return { kind: "tested", basis: "same-line-patch", message: `${f} to ${t} is a patch upgrade within ${entry.version}.` };
  }
  const match = matchSource(catalog, entry, from);
  const tested = formatVersionRanges(entry.testedFrom);
  switch (match.kind) {
    case "tested":
      return { kind: "tested", basis: "release-notes", range: match.range, message: `${entry.version} was tested from ${tested}, which includes ${f}.` };
    case "pass-through":
      return {
        kind: "pass-through",
        range: match.range,
        message: `From ${f}, ${entry.version} may only be passed through on the way to a later release, with ks_upgrade.sh -o; it must not be the final version.`,
      };
    case "unsupported":
      return {
        kind: "unsupported",
        range: match.range,
        message: `The ${entry.version} notes forbid upgrading from ${f}: that patch carries fixes ${entry.version} lacks. Choose a later target.`,
      };
    case "latest-unknown":
      return {
        kind: "untested",
        code: "latest-patch-unknown",
        message: `${entry.version} was tested from the latest ${match.range.line} patch, but the catalog does not say which that is; an admin should set it.`,
      };
    case "none":
      return { kind: "untested", code: "not-in-tested-list", message: `${entry.version} was tested from ${tested}, not from ${f}; the upgrade may fail.` };
  }
}

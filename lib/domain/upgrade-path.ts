// The hops a plan needs, per method. Each method reads the catalog its own way:
// standalone and remove/rebuild follow the tested paths [U2][R1], online in-place moves one
// release at a time [O1], offline in-place reaches LTS releases only [F1][M2].

import { OFFLINE_SKIP_FROM_LINE, findRelease, sortedLines, type ReleaseCatalog, type ReleaseEntry } from "./release-catalog";
import { compareReleaseLines, lineOf } from "./release-line";
import { computeDowngradePath } from "./downgrade-path";
import { searchPath, type EdgeRule, type SearchSpec } from "./path-search";
import { checkUpgradeHop } from "./upgrade-hop";
import { describeHopTarget, type PlanMethod, type UpgradeHop } from "./upgrade-path-types";
import { formatVersion, type Version } from "./version";
import { anyPatch, formatVersionRanges } from "./version-range";

export { checkUpgradeHop, type HopCheck } from "./upgrade-hop";
export type { HopTarget, PlanMethod, UpgradeHop } from "./upgrade-path-types";

export interface PathOptions {
  /** An admin accepted untested hops (and, for downgrades, a clustered node) for this plan. */
  override?: boolean;
  /** Only downgrades care: a clustered node is refused without override [D1]. */
  clustered?: boolean;
  /** Verified archives at hand: among equally short paths, prefer the one they serve. */
  archives?: readonly Version[];
}

export type PathRefusalCode =
  | "not-an-upgrade" | "unknown-target" | "no-tested-path" | "unsupported-source" | "pass-through-target"
  | "target-not-lts" | "offline-path-not-supported"
  | "not-a-downgrade" | "no-downgrade" | "downgrade-target-mismatch" | "downgrade-source-mismatch" | "clustered-downgrade";

export type UpgradePathResult =
  | { ok: true; method: PlanMethod; from: Version; to: Version; hops: UpgradeHop[]; message: string }
  | { ok: false; method: PlanMethod; code: PathRefusalCode; message: string };

export function computeUpgradePath(
  catalog: ReleaseCatalog, from: Version, to: Version, method: PlanMethod, options: PathOptions = {},
): UpgradePathResult {
  if (method === "downgrade") return computeDowngradePath(catalog, from, to, options);
  const refuse = (code: PathRefusalCode, message: string): UpgradePathResult => ({ ok: false, method, code, message });
  const direct = checkUpgradeHop(catalog, from, to);
  if (direct.kind === "not-an-upgrade" || direct.kind === "unknown-target") return refuse(direct.kind, direct.message);
  const target = findRelease(catalog, lineOf(to));
  if (method === "offline-in-place" && target?.type !== "lts") {
    return refuse("target-not-lts", `${lineOf(to)} is not an LTS release; the offline in-place method only reaches LTS releases [F1]. Use online in-place or remove/rebuild.`);
  }
  const hops = lineOf(from) === lineOf(to) ? [patchHop(from, to, direct.message)] : searchPath(specFor(method, catalog, from, to, options));
  if (hops) return { ok: true, method, from, to, hops, message: summarize(hops) };
  if (direct.kind === "unsupported") return refuse("unsupported-source", direct.message);
  if (direct.kind === "pass-through") return refuse("pass-through-target", `${direct.message} Choose a release beyond ${lineOf(to)} as the target.`);
  if (method === "offline-in-place") {
    return refuse("offline-path-not-supported", offlineRefusal(from, to, target));
  }
  if (method === "online-rolling") {
    const steps = [lineOf(from), ...sortedLines(catalog).filter((l) => compareReleaseLines(l, lineOf(from)) > 0 && compareReleaseLines(l, lineOf(to)) <= 0)];
    return refuse("no-tested-path", `Online in-place moves one release at a time (${steps.join(" -> ")}) [O1], and not every step is tested from where the cluster stands. ${options.override ? "" : "An admin override allows untested steps, or use remove/rebuild."}`.trim());
  }
  if (options.override && direct.kind === "untested") {
    const hop: UpgradeHop = { index: 1, direction: "upgrade", from: { kind: "exact", version: from }, to: { kind: "exact", version: to }, tested: false, forceFlag: false, note: `Untested, allowed by an admin override: ${direct.message}` };
    return { ok: true, method, from, to, hops: [hop], message: summarize([hop]) };
  }
  return refuse("no-tested-path", `No chain of tested upgrades leads from ${formatVersion(from)} to ${formatVersion(to)}. ${direct.message} An admin override can allow the direct, untested upgrade.`);
}

function specFor(method: PlanMethod, catalog: ReleaseCatalog, from: Version, to: Version, options: PathOptions): SearchSpec {
  const tested = (entry: ReleaseEntry, isFinal: boolean): EdgeRule[] => [
    ...entry.testedFrom.map((range) => ({ range, tested: true, forceFlag: entry.passThroughOnly === true })),
    ...(isFinal ? [] : (entry.passThroughFrom ?? []).map((range) => ({ range, tested: true, forceFlag: true }))),
  ];
  const base = { catalog, from, to, archives: options.archives };
  switch (method) {
    case "online-rolling":
      return {
        ...base,
        allowTarget: notPassThroughFinal,
        edgesInto: (entry, { isFinal, previous }) => [
          ...tested(entry, isFinal).filter((e) => e.range.line === previous),
          // An override may accept a step the notes do not list, never a step they forbid.
          ...(options.override ? [{ range: anyPatch(previous), tested: false, forceFlag: false }] : []),
        ],
      };
    case "offline-in-place":
      return {
        ...base,
        allowTarget: (entry) => entry.type === "lts",
        edgesInto: (entry, { previous }) => {
          const canSkip = compareReleaseLines(entry.version, OFFLINE_SKIP_FROM_LINE) >= 0;
          return (entry.offlineFrom ?? [])
            .filter((range) => canSkip || range.line === previous)
            .map((range) => ({ range, tested: true, forceFlag: false }));
        },
      };
    default:
      return { ...base, allowTarget: notPassThroughFinal, edgesInto: (entry, { isFinal }) => tested(entry, isFinal) };
  }
}

/** A pass-through-only release can be a stop on the way, never where a plan ends. */
function notPassThroughFinal(entry: ReleaseEntry, isFinal: boolean): boolean {
  return !isFinal || entry.passThroughOnly !== true;
}

function patchHop(from: Version, to: Version, note: string): UpgradeHop {
  return { index: 1, direction: "upgrade", from: { kind: "exact", version: from }, to: { kind: "exact", version: to }, tested: true, forceFlag: false, note };
}

function offlineRefusal(from: Version, to: Version, target: ReleaseEntry | undefined): string {
  const offline = target?.offlineFrom ?? [];
  const skip = compareReleaseLines(lineOf(to), OFFLINE_SKIP_FROM_LINE) < 0 ? ` Below ${OFFLINE_SKIP_FROM_LINE} the offline method cannot skip versions [M2].` : "";
  const listed = offline.length > 0 ? `offline upgrades to ${lineOf(to)} are supported from ${formatVersionRanges(offline)}` : `the catalog lists no offline paths into ${lineOf(to)}`;
  return `From ${formatVersion(from)}, ${listed} [F1].${skip} Use online in-place or remove/rebuild, or reach a supported starting version first.`;
}

function summarize(hops: UpgradeHop[]): string {
  const stops = hops.map((h) => describeHopTarget(h.to)).join(" -> ");
  const untested = hops.filter((h) => !h.tested).length;
  return `${hops.length} hop(s): ${stops}${untested ? ` (${untested} untested, by admin override)` : ""}.`;
}

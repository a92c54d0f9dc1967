// Cheapest chain of hops across release lines. Release notes speak per line, so a line is a node
// and a starting-version range is an edge; the patch to land on is fixed by the next edge.

import { findRelease, latestPatchOf, sortedLines, type ReleaseCatalog, type ReleaseEntry } from "./release-catalog";
import { compareReleaseLines, lineOf } from "./release-line";
import { matchSource } from "./upgrade-hop";
import { matchHopTarget, type HopTarget, type UpgradeHop } from "./upgrade-path-types";
import type { Version } from "./version";
import { formatVersionRange, matchVersionRange, rangeAllowsPatchAbove, resolveLatestPatch, type VersionRange } from "./version-range";

export interface EdgeRule {
  range: VersionRange;
  tested: boolean;
  forceFlag: boolean;
}

export interface SearchSpec {
  catalog: ReleaseCatalog;
  from: Version;
  to: Version;
  /** Ranges that lead into `entry`; `previous` is the line just before it (catalog or start). */
  edgesInto(entry: ReleaseEntry, ctx: { isFinal: boolean; previous: string }): EdgeRule[];
  allowTarget(entry: ReleaseEntry, isFinal: boolean): boolean;
  /** Versions of the verified archives at hand: among equally short paths, prefer stops they serve. */
  archives?: readonly Version[];
}

type Cost = [untested: number, hops: number, noArchive: number, forced: number];
interface Best { cost: Cost; prev?: string; rule?: EdgeRule; patchFirst?: VersionRange }

export function searchPath(spec: SearchSpec): UpgradeHop[] | null {
  const { catalog, from, to } = spec;
  const start = lineOf(from);
  const goal = lineOf(to);
  const best = new Map<string, Best>([[start, { cost: [0, 0, 0, 0] }]]);
  const lines = sortedLines(catalog).filter((l) => compareReleaseLines(l, start) > 0 && compareReleaseLines(l, goal) <= 0);
  lines.forEach((line, i) => {
    const entry = findRelease(catalog, line);
    const isFinal = line === goal;
    if (!entry || !spec.allowTarget(entry, isFinal)) return;
    const previous = lines[i - 1] ?? start;
    for (const rule of spec.edgesInto(entry, { isFinal, previous })) {
      const candidate = relax(spec, entry, rule, best);
      const current = best.get(line);
      if (candidate && (!current || isBetter(candidate, current))) best.set(line, candidate);
    }
  });
  return best.has(goal) ? buildHops(spec, best, start, goal) : null;
}

function relax(spec: SearchSpec, entry: ReleaseEntry, rule: EdgeRule, best: Map<string, Best>): Best | null {
  const p = rule.range.line;
  const base = best.get(p);
  if (!base || compareReleaseLines(p, entry.version) >= 0) return null;
  const latest = latestPatchOf(spec.catalog, p);
  let patchFirst: VersionRange | undefined;
  if (p === lineOf(spec.from)) {
    if (matchSource(spec.catalog, entry, spec.from).kind === "unsupported") return null;
    if (matchVersionRange(spec.from, rule.range, latest) !== "match") {
      // Reach an accepted patch of the starting line first, e.g. 2.11.0 -> 2.11.2 -> 2.14.
      if (!rangeAllowsPatchAbove(rule.range, spec.from.patch, latest)) return null;
      patchFirst = rule.range;
    }
  } else if (resolveLatestPatch(rule.range, latest) === null) {
    return null;
  }
  const extra = patchFirst ? 1 : 0;
  // The stop on line p (an intermediate landing, or the patch hop's) needs an archive.
  const needsStop = patchFirst !== undefined || p !== lineOf(spec.from);
  const noArchive = needsStop && spec.archives && !hasArchiveFor(spec, rule.range, entry) ? 1 : 0;
  const cost: Cost = [
    base.cost[0] + (rule.tested ? 0 : 1), base.cost[1] + 1 + extra, base.cost[2] + noArchive, base.cost[3] + (rule.forceFlag ? 1 : 0),
  ];
  return { cost, prev: p, rule, patchFirst };
}

function hasArchiveFor(spec: SearchSpec, range: VersionRange, next: ReleaseEntry): boolean {
  const resolved = resolveLatestPatch(range, latestPatchOf(spec.catalog, range.line));
  if (!resolved) return false;
  const target = { kind: "range" as const, range: resolved, except: (next.unsupportedFrom ?? []).filter((r) => r.line === range.line) };
  return (spec.archives ?? []).some((v) => matchHopTarget(v, target));
}

/**
 * Fewest untested hops, then fewest hops, then fewest stops without an archive at hand, then
 * fewest `-o`; remaining ties go to the newer stepping stone.
 */
function isBetter(a: Best, b: Best): boolean {
  for (let i = 0; i < 4; i++) {
    const d = (a.cost[i] ?? 0) - (b.cost[i] ?? 0);
    if (d !== 0) return d < 0;
  }
  return compareReleaseLines(a.prev ?? "", b.prev ?? "") > 0;
}

function buildHops(spec: SearchSpec, best: Map<string, Best>, start: string, goal: string): UpgradeHop[] {
  const chain: { line: string; node: Best }[] = [];
  for (let line = goal; line !== start; ) {
    const node = best.get(line);
    if (!node?.prev) break;
    chain.unshift({ line, node });
    line = node.prev;
  }
  const hops: UpgradeHop[] = [];
  let landing: HopTarget = { kind: "exact", version: spec.from };
  const push = (to: HopTarget, rule: EdgeRule | null, note: string) => {
    hops.push({ index: hops.length + 1, direction: "upgrade", from: landing, to, tested: rule?.tested ?? true, forceFlag: rule?.forceFlag ?? false, note });
    landing = to;
  };
  const first = chain[0];
  if (first?.node.patchFirst) {
    push(landingOn(spec, first.node.patchFirst, first.line), null, `Patch upgrade within ${start} to a starting point ${first.line} was tested from.`);
  }
  chain.forEach(({ line, node }, i) => {
    const next = chain[i + 1];
    const to: HopTarget = next?.node.rule ? landingOn(spec, next.node.rule.range, next.line) : { kind: "exact", version: spec.to };
    if (node.rule) push(to, node.rule, describeRule(line, node.rule));
  });
  return hops;
}

function landingOn(spec: SearchSpec, range: VersionRange, nextLine: string): HopTarget {
  const resolved = resolveLatestPatch(range, latestPatchOf(spec.catalog, range.line)) ?? range;
  const except = (findRelease(spec.catalog, nextLine)?.unsupportedFrom ?? []).filter((r) => r.line === range.line);
  return { kind: "range", range: resolved, except };
}

function describeRule(line: string, rule: EdgeRule): string {
  const from = formatVersionRange(rule.range);
  if (!rule.tested) return `Untested: ${line} was not tested from ${from}; allowed by an admin override.`;
  if (rule.forceFlag) return `Pass-through: ${line} from ${from} only on the way further, with ks_upgrade.sh -o.`;
  return `${line} was tested from ${from}.`;
}

// The shapes in which release notes name starting versions: "2.10.x", "2.11.1 and 2.11.2",
// "2.11.3 or higher 2.11 patch", "the latest patch of 2.14". Stored as data in the catalog.

import { z } from "zod";
import { lineOf, parseReleaseLine, releaseLineSchema } from "./release-line";
import type { Version } from "./version";

const patchSchema = z.number().int().min(0).max(9999);

export const versionRangeSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("any-patch"), line: releaseLineSchema }),
  z.object({ kind: z.literal("patches"), line: releaseLineSchema, patches: z.array(patchSchema).min(1) }),
  z.object({ kind: z.literal("from-patch"), line: releaseLineSchema, minPatch: patchSchema }),
  z.object({ kind: z.literal("latest-patch"), line: releaseLineSchema }),
]);
export type VersionRange = z.infer<typeof versionRangeSchema>;

export const anyPatch = (line: string): VersionRange => ({ kind: "any-patch", line });
export const somePatches = (line: string, ...patches: number[]): VersionRange => ({ kind: "patches", line, patches });
export const fromPatch = (line: string, minPatch: number): VersionRange => ({ kind: "from-patch", line, minPatch });
export const latestPatch = (line: string): VersionRange => ({ kind: "latest-patch", line });

export type RangeMatch = "match" | "no-match" | "latest-unknown";

/**
 * `latestKnownPatch` is the catalog's newest patch of the range's line. A version above it counts
 * as the latest: the catalog is older than the appliance, not the other way round.
 */
export function matchVersionRange(v: Version, range: VersionRange, latestKnownPatch?: number): RangeMatch {
  if (lineOf(v) !== range.line) return "no-match";
  switch (range.kind) {
    case "any-patch":
      return "match";
    case "patches":
      return range.patches.includes(v.patch) ? "match" : "no-match";
    case "from-patch":
      return v.patch >= range.minPatch ? "match" : "no-match";
    case "latest-patch":
      if (latestKnownPatch === undefined) return "latest-unknown";
      return v.patch >= latestKnownPatch ? "match" : "no-match";
  }
}

/** Replaces "latest patch" by the concrete patches it means today, so later steps need no catalog. */
export function resolveLatestPatch(range: VersionRange, latestKnownPatch?: number): VersionRange | null {
  if (range.kind !== "latest-patch") return range;
  return latestKnownPatch === undefined ? null : fromPatch(range.line, latestKnownPatch);
}

/** Whether some patch above `patch` on the range's line satisfies the range. */
export function rangeAllowsPatchAbove(range: VersionRange, patch: number, latestKnownPatch?: number): boolean {
  switch (range.kind) {
    case "any-patch":
      return true;
    case "patches":
      return range.patches.some((p) => p > patch);
    case "from-patch":
      return true;
    case "latest-patch":
      return latestKnownPatch !== undefined && latestKnownPatch > patch;
  }
}

export function formatVersionRange(range: VersionRange): string {
  switch (range.kind) {
    case "any-patch":
      return `${range.line}.x`;
    case "patches":
      return joinOr(range.patches.map((p) => `${range.line}.${p}`));
    case "from-patch":
      return `${range.line}.${range.minPatch} or a later ${range.line} patch`;
    case "latest-patch":
      return `the latest ${range.line} patch`;
  }
}

/** A list of starting points: "2.13.x, 2.12.x, 2.11.1 and 2.11.2". */
export function formatVersionRanges(ranges: readonly VersionRange[]): string {
  const items = ranges.flatMap((r) => (r.kind === "patches" ? r.patches.map((p) => `${r.line}.${p}`) : [formatVersionRange(r)]));
  return items.length === 0 ? "no version" : joinOr(items, "and");
}

/** Text an admin types: "2.10.x" (or "2.10"), "2.11.1", "2.11.3+", "latest 2.14". */
export function parseVersionRange(text: string): VersionRange | null {
  const t = text.trim().toLowerCase();
  const latest = /^latest\s+(\d+\.\d+)$/.exec(t);
  if (latest?.[1] && parseReleaseLine(latest[1])) return latestPatch(latest[1]);
  const any = /^(\d+\.\d+)(?:\.x)?$/.exec(t);
  if (any?.[1] && parseReleaseLine(any[1])) return anyPatch(any[1]);
  const exact = /^(\d+\.\d+)\.(\d+)(\+)?$/.exec(t);
  if (exact?.[1] && exact[2] !== undefined && parseReleaseLine(exact[1])) {
    const patch = Number(exact[2]);
    return exact[3] ? fromPatch(exact[1], patch) : somePatches(exact[1], patch);
  }
  return null;
}

function joinOr(items: string[], word = "or"): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} ${word} ${items[items.length - 1]}`;
}

// Vocabulary shared by the path rules, the archive matcher and the plan compiler.

import { lineOf } from "./release-line";
import { formatVersion, sameVersion, type Version } from "./version";
import { formatVersionRange, matchVersionRange, type VersionRange } from "./version-range";

export const PLAN_METHODS = ["standalone", "online-rolling", "offline-in-place", "remove-rebuild", "downgrade"] as const;
export type PlanMethod = (typeof PLAN_METHODS)[number];

/**
 * Where a hop lands. The final hop lands on the exact target; an intermediate hop lands on
 * whichever patch the next hop's notes accept, chosen later from the archives at hand.
 */
export type HopTarget =
  | { kind: "exact"; version: Version }
  | { kind: "range"; range: VersionRange; except: VersionRange[] };

export interface UpgradeHop {
  index: number; // 1-based, in execution order
  direction: "upgrade" | "downgrade";
  from: HopTarget;
  to: HopTarget;
  tested: boolean;
  /** The vendor script needs `-o`: a pass-through hop, or a downgrade of a clustered node. */
  forceFlag: boolean;
  note: string;
}

export function hopTargetLine(t: HopTarget): string {
  return t.kind === "exact" ? lineOf(t.version) : t.range.line;
}

export function describeHopTarget(t: HopTarget): string {
  return t.kind === "exact" ? formatVersion(t.version) : formatVersionRange(t.range);
}

/** Ranges here never hold "latest-patch": the path search resolved it to concrete patches. */
export function matchHopTarget(v: Version, t: HopTarget): boolean {
  if (t.kind === "exact") return sameVersion(v, t.version);
  if (matchVersionRange(v, t.range) !== "match") return false;
  return !t.except.some((r) => matchVersionRange(v, r) === "match");
}

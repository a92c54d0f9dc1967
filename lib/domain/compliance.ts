// How a fleet row (a cluster, or a standalone appliance) stands against its golden version: the
// version it should run. lib/fleet/fleet-view.ts classifies in SQL for counts and paging over the
// whole fleet; its integration test holds that SQL to these rules, row by row.
import { compareVersions, formatVersion, parseVersion, type Version } from "./version";

/** In the order a person triages: what cannot be judged, what is split, what is late, what is fine. */
export const COMPLIANCE_STATES = ["unreachable", "mixed", "behind", "ahead", "up-to-date", "no-golden"] as const;
export type Compliance = (typeof COMPLIANCE_STATES)[number];

export const COMPLIANCE_TEXT: Record<Compliance, { label: string; meaning: string }> = {
  unreachable: { label: "Unreachable", meaning: "a node is unreachable, its identity changed, or its version was never read" },
  mixed: { label: "Mixed versions", meaning: "the nodes of one cluster run different versions" },
  behind: { label: "Behind", meaning: "older than its golden version" },
  ahead: { label: "Ahead", meaning: "newer than its golden version" },
  "up-to-date": { label: "Up to date", meaning: "runs its golden version" },
  "no-golden": { label: "No golden version", meaning: "no golden version is set for it or for any of its tags" },
};

/** Node states that make a row's version untrustworthy: the console cannot (or may not) read it. */
export const UNREACHABLE_STATUSES = ["unreachable", "trust-changed"] as const;

export interface GoldenRule { tag: string; version: string }
export type GoldenVersion = { version: string; source: "own"; tag: null } | { version: string; source: "rule"; tag: string };

function byVersionDesc(a: { v: Version; version: string; tag: string }, b: { v: Version; version: string; tag: string }): number {
  // Ties (same release, other builds or the same string) break on the text, then the tag, in code-unit order, as the SQL does with COLLATE "C".
  return compareVersions(b.v, a.v) || (a.version < b.version ? 1 : a.version > b.version ? -1 : 0) || (a.tag < b.tag ? -1 : a.tag > b.tag ? 1 : 0);
}

/**
 * The target's own golden version, else the highest version among the rules whose tag it carries
 * (a cluster carries its own tags and those all its nodes share), else none. Versions that do not
 * parse are ignored: they cannot be compared with anything.
 */
export function resolveGoldenVersion(own: string | null, tags: readonly string[], rules: readonly GoldenRule[]): GoldenVersion | null {
  if (own !== null && parseVersion(own)) return { version: own.trim(), source: "own", tag: null };
  const matching = rules
    .filter((r) => tags.includes(r.tag))
    .map((r) => ({ ...r, version: r.version.trim(), v: parseVersion(r.version) }))
    .filter((r): r is GoldenRule & { v: Version } => r.v !== null)
    .sort(byVersionDesc);
  const best = matching[0];
  return best ? { version: best.version, source: "rule", tag: best.tag } : null;
}

export interface ComplianceNode { name: string; version: string | null; status: string }
export interface ComplianceVerdict { compliance: Compliance; reason: string }

/** The verdict for one row, with the words a person reads in the badge's tooltip. */
export function classifyCompliance(nodes: readonly ComplianceNode[], golden: string | null): ComplianceVerdict {
  if (nodes.length === 0) return { compliance: "unreachable", reason: "No node is enrolled." };
  const cut = nodes.filter((n) => (UNREACHABLE_STATUSES as readonly string[]).includes(n.status));
  if (cut.length) return { compliance: "unreachable", reason: `${cut.map((n) => `${n.name} is ${n.status}`).join("; ")}.` };
  const parsed = nodes.map((n) => ({ ...n, v: n.version === null ? null : parseVersion(n.version) }));
  const unknown = parsed.filter((n) => n.v === null);
  if (unknown.length) return { compliance: "unreachable", reason: `The version of ${unknown.map((n) => n.name).join(", ")} was never read; refresh it.` };
  const versions = parsed.map((n) => n.v!);
  const distinct = versions.filter((v, i) => versions.findIndex((w) => compareVersions(v, w) === 0) === i);
  if (distinct.length > 1) return { compliance: "mixed", reason: `Nodes run ${parsed.map((n) => `${n.name} ${n.version}`).join(", ")}.` };
  const current = formatVersion(versions[0]!);
  const target = golden === null ? null : parseVersion(golden);
  if (!target) return { compliance: "no-golden", reason: `Runs ${current}; set a golden version on it or a rule for one of its tags.` };
  const order = compareVersions(versions[0]!, target);
  if (order < 0) return { compliance: "behind", reason: `Runs ${current}, older than the golden ${golden}: plan an upgrade.` };
  if (order > 0) return { compliance: "ahead", reason: `Runs ${current}, newer than the golden ${golden}: raise the golden version or plan a downgrade.` };
  return { compliance: "up-to-date", reason: `Runs the golden ${golden}.` };
}

/** Zero for every state: the shape of the counts on top, so an absent state reads as 0, not missing. */
export function emptyComplianceCounts(): Record<Compliance, number> {
  return Object.fromEntries(COMPLIANCE_STATES.map((c) => [c, 0])) as Record<Compliance, number>;
}

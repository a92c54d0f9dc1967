// Whether a campaign target can be planned, and with which method, from stored facts only: the
// nodes' last observed versions and status, locks, the release catalog and the verified archives.
// Clusters take the first method of the operator's policy whose path and archives work, and, for
// a method with downtime, whose plan already has an approved maintenance window [F2][R2].
// Campaigns never override an untested path [U2].

import { needsWindow } from "./maintenance-window";
import { findArchivesForPath, type ArchiveCandidate } from "./path-archives";
import { listMethods } from "./plan-methods";
import type { ReleaseCatalog } from "./release-catalog";
import { computeUpgradePath } from "./upgrade-path";
import { describeHopTarget, type PlanMethod } from "./upgrade-path-types";
import { compareVersions, formatVersion, parseVersion, sameVersion, type Version } from "./version";

export interface TargetNodeFacts {
  name: string;
  version: string | null;
  /** ok | unreachable | trust-changed | unknown, as the last observation left it. */
  status: string;
  statusReason: string | null;
  /** The active plan holding this node, if any. */
  lockedByPlanId: string | null;
}

export interface AssessTargetInput<A extends ArchiveCandidate & { fileName: string; id?: string }> {
  catalog: ReleaseCatalog;
  archives: readonly A[];
  to: Version;
  kind: "cluster" | "appliance";
  nodes: readonly TargetNodeFacts[];
  /** The policy's cluster methods, most preferred first. */
  clusterMethods: readonly PlanMethod[];
  /** Downtime methods for which a plan of this cluster to this version has an approved, unexpired window. */
  approvedWindows: readonly PlanMethod[];
}

export interface PlannedHop {
  index: number;
  to: string;
  tested: boolean;
  archiveFileName: string;
  archiveId: string | null;
}

export interface MethodAttempt {
  method: PlanMethod;
  ok: boolean;
  reason: string | null;
}

export type TargetAssessment =
  | { verdict: "plannable"; method: PlanMethod; hops: PlannedHop[]; notes: string[]; attempts: MethodAttempt[] }
  | { verdict: "already-on-target"; reasons: string[] }
  | { verdict: "unplannable" | "needs-window"; method: PlanMethod | null; hops: PlannedHop[]; reasons: string[]; missingArchives: string[]; notes: string[]; attempts: MethodAttempt[] };

export function assessTarget<A extends ArchiveCandidate & { fileName: string; id?: string }>(input: AssessTargetInput<A>): TargetAssessment {
  const blockers = nodeBlockers(input);
  const versions = input.nodes.map((n) => (n.version ? parseVersion(n.version) : null));
  const known = versions.filter((v): v is Version => v !== null);
  const unplannable = (reasons: string[]): TargetAssessment => ({ verdict: "unplannable", method: null, hops: [], reasons, missingArchives: [], notes: [], attempts: [] });
  if (input.nodes.length === 0) return unplannable(["No node of this cluster is enrolled."]);
  if (known.length !== input.nodes.length) return unplannable(blockers);
  if (known.every((v) => sameVersion(v, input.to))) return { verdict: "already-on-target", reasons: [`Already runs ${formatVersion(input.to)}: nothing to do.`] };
  const newer = input.nodes.filter((_, i) => compareVersions(versions[i]!, input.to) > 0);
  if (newer.length) blockers.push(`${newer.map((n) => `${n.name} runs ${n.version}`).join(", ")}, newer than the target ${formatVersion(input.to)}: a campaign only upgrades.`);
  const notes = mixedNote(input.nodes, known);
  const attempts = input.kind === "appliance" ? [attempt(input, "standalone", known)] : input.clusterMethods.map((m) => attempt(input, m, known));
  const chosen = attempts.find((a) => a.ok);
  const summary = attempts.map(({ method, ok, reason }) => ({ method, ok, reason }));
  if (chosen && blockers.length === 0) return { verdict: "plannable", method: chosen.method, hops: chosen.hops, notes, attempts: summary };
  const reasons = [...blockers, ...(chosen ? [] : attempts.map((a) => (input.kind === "appliance" ? a.reason! : `${a.method}: ${a.reason}`)))];
  const windowOnly = !chosen && blockers.length === 0 && attempts.some((a) => a.windowOnly);
  return {
    verdict: windowOnly ? "needs-window" : "unplannable", method: chosen?.method ?? null, hops: chosen?.hops ?? [], reasons,
    missingArchives: [...new Set(attempts.flatMap((a) => a.missing))], notes, attempts: summary,
  };
}

interface Attempt extends MethodAttempt {
  hops: PlannedHop[];
  missing: string[];
  windowOnly: boolean;
}

function attempt<A extends ArchiveCandidate & { fileName: string; id?: string }>(input: AssessTargetInput<A>, method: PlanMethod, versions: Version[]): Attempt {
  const no = (reason: string, extra: Partial<Attempt> = {}): Attempt => ({ method, ok: false, reason, hops: [], missing: [], windowOnly: false, ...extra });
  const clustered = input.kind === "cluster";
  if (clustered) {
    const option = listMethods(input.catalog, { clustered, nodeCount: input.nodes.length, versions }, input.to).find((o) => o.method === method);
    if (!option?.available) return no(option?.message ?? `${method} is not a method for this target.`);
  }
  // The path from the lowest node, as createPlan computes it, never overridden.
  const from = [...versions].sort(compareVersions)[0]!;
  const path = computeUpgradePath(input.catalog, from, input.to, method, { clustered });
  if (!path.ok) return no(path.code === "no-tested-path" ? `Untested path: ${path.message}` : path.message);
  const match = findArchivesForPath(path, input.archives);
  const hops = match.assignments.map(({ hop, archive }) => ({ index: hop.index, to: describeHopTarget(hop.to), tested: hop.tested, archiveFileName: archive.fileName, archiveId: archive.id ?? null }));
  if (!match.ok) return no(`Missing archive: ${match.message}`, { hops, missing: match.missing.map((m) => m.message) });
  if (needsWindow(method) && !input.approvedWindows.includes(method)) {
    return no(`${method} takes the cluster's service down: a campaign uses it only through a plan of this cluster whose maintenance window is approved. Create that plan, request its window and have it approved, or prefer online-rolling.`, { hops, windowOnly: true });
  }
  return { method, ok: true, reason: null, hops, missing: [], windowOnly: false };
}

function nodeBlockers(input: { nodes: readonly TargetNodeFacts[] }): string[] {
  const reasons: string[] = [];
  for (const n of input.nodes) {
    if (!n.version || !parseVersion(n.version)) reasons.push(`The version of ${n.name} is not known: refresh it before planning.`);
    if (n.status === "trust-changed") reasons.push(`${n.name}: its SSH host key or TLS certificate changed${n.statusReason ? ` (${n.statusReason})` : ""}; an admin must compare and accept the new identity first.`);
    else if (n.status === "unreachable") reasons.push(`${n.name} was unreachable when last observed${n.statusReason ? ` (${n.statusReason})` : ""}: refresh it once it answers.`);
    if (n.lockedByPlanId) reasons.push(`${n.name} is held by another active plan (${n.lockedByPlanId}): finish or abort it first.`);
  }
  return reasons;
}

function mixedNote(nodes: readonly TargetNodeFacts[], versions: Version[]): string[] {
  const distinct = versions.filter((v, i) => versions.findIndex((w) => sameVersion(v, w)) === i);
  if (distinct.length < 2) return [];
  return [`Mixed versions: ${nodes.map((n) => `${n.name} ${n.version}`).join(", ")}; the plan starts from the lowest and brings every node to the same version [O4][F8].`];
}

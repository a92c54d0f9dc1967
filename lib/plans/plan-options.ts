// What the plan wizard shows before anything is created: for the chosen appliance or cluster and
// target, every method with why it is or is not available, its path, the archives it needs (and
// which are missing), and the estimated downtime.
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { listMethods } from "@/lib/domain/plan-methods";
import { computeUpgradePath } from "@/lib/domain/upgrade-path";
import { findArchivesForPath } from "@/lib/domain/path-archives";
import { compilePlan, estimateDowntime } from "@/lib/domain/plan-compiler";
import { describeHopTarget } from "@/lib/domain/upgrade-path-types";
import { compareVersions, parseVersion } from "@/lib/domain/version";
import { loadReleaseCatalog } from "@/lib/plans/release-catalog";
import { resolvePlanTargets } from "@/lib/plans/plan-targets";
import { archiveCandidateFlags } from "@/lib/archives/deployable";

export async function describePlanOptions(db: Db, input: { applianceId?: string; clusterId?: string; targetVersion: string }) {
  const targets = await resolvePlanTargets(db, input);
  const to = parseVersion(input.targetVersion);
  if (!to) throw new AppError("bad-input", "targetVersion must look like 2.11.0 or 2.11.0+12345");
  const versions = targets.nodes.map((n) => (n.version ? parseVersion(n.version) : null)).filter((v) => v !== null);
  if (versions.length !== targets.nodes.length) throw new AppError("precondition-failed", "The version of a node is not known: refresh it first.");
  const from = [...versions].sort(compareVersions)[0]!;
  const catalog = await loadReleaseCatalog(db);
  const archives = (await db.archive.findMany({ where: { status: { in: ["verified", "refused"] } } })).flatMap((a) => {
    const version = a.version ? parseVersion(a.version) : null;
    // A detached-signature archive is a candidate that never serves a hop, so `missing` says why.
    return version ? [{ id: a.id, fileName: a.fileName, version, ...archiveCandidateFlags(a), sizeBytes: Number(a.sizeBytes) }] : [];
  });
  const methods = listMethods(catalog, { clustered: targets.clustered, nodeCount: targets.nodes.length, versions }, to);
  return {
    targets: { clustered: targets.clustered, nodes: targets.nodes.map((n) => ({ name: n.name, version: n.version, model: n.model })) },
    methods: methods.map((m) => {
      const path = computeUpgradePath(catalog, from, to, m.method, { clustered: targets.clustered });
      if (!m.available || !path.ok) return { ...m, path: null, pathMessage: path.message, archives: [], missing: [], downtime: null };
      const match = findArchivesForPath(path, archives);
      const compiled = match.ok
        ? compilePlan({ method: m.method, nodes: targets.nodes.map((n) => ({ applianceId: n.id, label: n.name })), hops: match.assignments.map((a) => ({ archiveVersion: `${a.archive.version.major}.${a.archive.version.minor}.${a.archive.version.patch}`, archiveSizeBytes: a.archive.sizeBytes, forceFlag: a.hop.forceFlag })) })
        : null;
      return {
        ...m,
        path: path.hops.map((h) => ({ index: h.index, to: describeHopTarget(h.to), tested: h.tested, forceFlag: h.forceFlag, note: h.note })),
        pathMessage: path.message,
        archives: match.assignments.map((a) => ({ hop: a.hop.index, fileName: a.archive.fileName })),
        missing: match.ok ? [] : match.missing.map((x) => x.message),
        downtime: compiled?.ok ? estimateDowntime({ method: m.method, steps: compiled.steps }) : null,
      };
    }),
  };
}

// What one campaign target needs copied ahead of its window: the archives its plan will upload
// (the same path and archive choice as createPlan) and the nodes that get them.
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { isAppError } from "@/lib/errors";
import { computeUpgradePath } from "@/lib/domain/upgrade-path";
import type { ReleaseCatalog } from "@/lib/domain/release-catalog";
import { PLAN_METHODS, type PlanMethod } from "@/lib/domain/upgrade-path-types";
import { compareVersions, formatVersion, parseVersion } from "@/lib/domain/version";
import { assignArchives } from "@/lib/plans/create-plan";
import { PolicySchema } from "./campaign-input";

export const DistributionArchiveSchema = z.object({
  archiveId: z.string().uuid(),
  fileName: z.string(),
  version: z.string(),
  sizeBytes: z.number(),
  sha256: z.string(),
  /** The version the node runs when this hop starts: the disk rule depends on it. */
  fromVersion: z.string(),
});
export type DistributionArchive = z.infer<typeof DistributionArchiveSchema>;

export const TargetDistributionSchema = z.object({
  targetId: z.string().uuid(),
  site: z.string().nullable(),
  nodes: z.array(z.object({ applianceId: z.string().uuid(), name: z.string() })),
  archives: z.array(DistributionArchiveSchema),
});
export type TargetDistribution = z.infer<typeof TargetDistributionSchema>;

export type TargetDistributionPlan = ({ ok: true } & TargetDistribution) | { ok: false; targetId: string; reason: string };

export interface DistributionTargetRow {
  id: string;
  kind: string;
  clusterId: string | null;
  applianceId: string;
  site: string | null;
  fromVersion: string | null;
  method: string | null;
}

/** The method the target's plan will use: its own, else the campaign's first choice for clusters. */
function methodOf(target: DistributionTargetRow, policy: unknown): PlanMethod {
  if (target.method && (PLAN_METHODS as readonly string[]).includes(target.method)) return target.method as PlanMethod;
  if (target.kind !== "cluster") return "standalone";
  const parsed = PolicySchema.safeParse(policy);
  return parsed.success ? parsed.data.clusterMethods[0]! : "online-rolling";
}

export async function planTargetDistribution(
  db: Db,
  catalog: ReleaseCatalog,
  campaign: { targetVersion: string; policy: unknown },
  target: DistributionTargetRow,
): Promise<TargetDistributionPlan> {
  const refuse = (reason: string): TargetDistributionPlan => ({ ok: false, targetId: target.id, reason });
  const nodes = target.kind === "cluster" && target.clusterId
    ? await db.appliance.findMany({ where: { clusterId: target.clusterId }, orderBy: { name: "asc" }, select: { id: true, name: true, version: true } })
    : await db.appliance.findMany({ where: { id: target.applianceId }, select: { id: true, name: true, version: true } });
  if (nodes.length === 0) return refuse("the target has no enrolled node");
  const versions = target.fromVersion ? [parseVersion(target.fromVersion)] : nodes.map((n) => (n.version ? parseVersion(n.version) : null));
  if (versions.some((v) => v === null)) return refuse("the version of a node is not known; refresh it before distributing");
  const from = [...(versions as NonNullable<(typeof versions)[number]>[])].sort(compareVersions)[0]!;
  const to = parseVersion(campaign.targetVersion);
  if (!to) return refuse(`the campaign's target version ${campaign.targetVersion} is not a version`);
  const method = methodOf(target, campaign.policy);
  const path = computeUpgradePath(catalog, from, to, method, { override: false, clustered: target.kind === "cluster" });
  if (!path.ok) return refuse(path.message);
  let hops: Awaited<ReturnType<typeof assignArchives>>;
  try {
    hops = await assignArchives(db, path, method);
  } catch (e) {
    if (isAppError(e)) return refuse(e.message);
    throw e;
  }
  const archives = hops.map((h, i) => ({
    archiveId: h.archiveId, fileName: h.fileName, version: h.version, sizeBytes: h.sizeBytes, sha256: h.sha256,
    fromVersion: i === 0 ? formatVersion(from) : hops[i - 1]!.version,
  }));
  return { ok: true, targetId: target.id, site: target.site, nodes: nodes.map((n) => ({ applianceId: n.id, name: n.name })), archives };
}

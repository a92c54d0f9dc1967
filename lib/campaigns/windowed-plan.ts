// A campaign uses a method with downtime for a cluster only through a plan someone made for that
// cluster and target, whose maintenance window an approver approved and which has not closed
// [F2][R2]: the campaign adopts that plan instead of creating one.
import type { Db } from "@/lib/db/client";
import { formatVersion, parseVersion } from "@/lib/domain/version";

export async function findWindowedPlans(db: Db, clusterIds: string[], targetVersion: string, now = new Date()) {
  const to = parseVersion(targetVersion);
  if (!to || clusterIds.length === 0) return [];
  return db.upgradePlan.findMany({
    where: {
      clusterId: { in: clusterIds }, method: { in: ["offline-in-place", "remove-rebuild"] }, targetVersion: formatVersion(to),
      state: { in: ["draft", "prechecked", "ready"] }, campaignTargetId: null, window: { state: "approved", endsAt: { gt: now } },
    },
    orderBy: { createdAt: "desc" },
    select: { id: true, clusterId: true, method: true, window: { select: { startsAt: true, endsAt: true } } },
  });
}

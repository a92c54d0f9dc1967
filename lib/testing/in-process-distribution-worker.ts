// The real distribution worker (BullMQ on the real Redis) inside a test process, and a wait for a
// campaign's copies to settle.
import type { Db } from "@/lib/db/client";
import { startDistributionWorker, type DistributionWorker } from "@/workers/distribution-worker";

export function startInProcessDistributionWorker(db: Db, concurrency = 16): DistributionWorker {
  return startDistributionWorker(db, { concurrency });
}

/** Polls until every listed target is distributed or failed; fails with what it last saw. */
export async function waitForDistribution(db: Db, targetIds: string[], timeoutMs = 60_000) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const targets = await db.campaignTarget.findMany({ where: { id: { in: targetIds } } });
    if (targets.length === targetIds.length && targets.every((t) => t.distributedAt || t.state === "failed")) return targets;
    if (Date.now() > end) {
      throw new Error(`distribution did not settle within ${timeoutMs} ms: ${targets.map((t) => `${t.name} ${t.state}${t.distributedAt ? " distributed" : ""}`).join(", ")}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

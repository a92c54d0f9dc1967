// One campaign's decisions are taken one at a time across every process: a transaction holding
// a Postgres advisory lock on the campaign. Only database work runs under it; appliance I/O
// (plans, backups, health checks) happens outside, and its results are written back by state.
import type { Db, Tx } from "@/lib/db/client";

/** The advisory lock namespace of campaigns (two-key form, apart from the audit chain's lock). */
const CAMPAIGN_LOCK_NAMESPACE = 72_707;

export async function withCampaignLock<T>(db: Db, campaignId: string, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${CAMPAIGN_LOCK_NAMESPACE}::int, hashtext(${campaignId}))`;
    return fn(tx);
  }, { maxWait: 15_000, timeout: 30_000 });
}

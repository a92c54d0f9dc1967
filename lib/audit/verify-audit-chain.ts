// Re-computes the hash chain of the audit trail. A row edited, inserted or deleted in the database
// breaks the chain at that row: the first break is reported with what did not match.
import type { Db } from "@/lib/db/client";
import { hashAuditRow } from "@/lib/audit/append-audit-event";

export type ChainReport =
  | { ok: true; rows: number; lastHash: string }
  | { ok: false; rows: number; brokenAtId: string; reason: string };

const BATCH = 2_000;

export async function verifyAuditChain(db: Db): Promise<ChainReport> {
  let prev = "genesis";
  let rows = 0;
  let after: bigint | undefined;
  for (;;) {
    const batch = await db.auditEvent.findMany({ where: after === undefined ? {} : { id: { gt: after } }, orderBy: { id: "asc" }, take: BATCH });
    for (const row of batch) {
      rows++;
      if (row.prevHash !== prev) return { ok: false, rows, brokenAtId: String(row.id), reason: `row ${row.id} says the previous hash is ${row.prevHash.slice(0, 12)}…, but the previous row hashes to ${prev.slice(0, 12)}…: a row before it was removed or altered` };
      const expected = hashAuditRow(row.prevHash, row);
      if (expected !== row.hash) return { ok: false, rows, brokenAtId: String(row.id), reason: `row ${row.id} (${row.action} by ${row.actorName}) does not match its hash: it was edited after it was written` };
      prev = row.hash;
    }
    if (batch.length < BATCH) return { ok: true, rows, lastHash: prev };
    after = batch[batch.length - 1]!.id;
  }
}

// Append-only, hash-chained audit trail: each row's hash covers the previous row's hash, so an
// edited or deleted row breaks the chain from that point on (lib/audit/verify-audit-chain.ts).
import crypto from "node:crypto";
import { inTransaction, type DbOrTx } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";

export interface Actor {
  type: "user" | "system";
  id: string | null;
  name: string;
}

export const SYSTEM_ACTOR: Actor = { type: "system", id: null, name: "system" };

export interface AuditInput {
  actor: Actor;
  action: string;
  subjectType?: string;
  subjectId?: string;
  data?: Record<string, unknown>;
}

const CHAIN_LOCK = 72_707_002;

/** JSON with object keys sorted at every level: Postgres's jsonb does not keep key order. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value && typeof value === "object") {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

export function hashAuditRow(prevHash: string, row: { at: Date; actorType: string; actorId: string | null; actorName: string; action: string; subjectType: string | null; subjectId: string | null; data: unknown }): string {
  const canonical = canonicalJson([prevHash, row.at.toISOString(), row.actorType, row.actorId, row.actorName, row.action, row.subjectType, row.subjectId, row.data]);
  return crypto.createHash("sha256").update(canonical).digest("hex");
}

/**
 * Appends one event. Given the transaction that makes the change, the event commits or rolls back
 * with it, so the trail never shows a change that did not happen nor misses one that did. Call it
 * last in that transaction: the chain lock is held until the commit.
 */
export async function appendAuditEvent(db: DbOrTx, input: AuditInput): Promise<void> {
  await inTransaction(db, async (tx) => {
    // Serialize writers so two events never chain onto the same predecessor.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${CHAIN_LOCK})`;
    const last = await tx.auditEvent.findFirst({ orderBy: { id: "desc" }, select: { hash: true } });
    const prevHash = last?.hash ?? "genesis";
    const row = {
      at: new Date(),
      actorType: input.actor.type,
      actorId: input.actor.id,
      actorName: input.actor.name,
      action: input.action,
      subjectType: input.subjectType ?? null,
      subjectId: input.subjectId ?? null,
      data: JSON.parse(JSON.stringify(input.data ?? {})) as Prisma.InputJsonValue,
    };
    await tx.auditEvent.create({ data: { ...row, prevHash, hash: hashAuditRow(prevHash, row) } });
  });
}

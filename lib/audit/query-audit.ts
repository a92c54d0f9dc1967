// Reading the audit trail: filters by actor, subject and time, and exports as CSV or JSON.
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";

export const AuditQuerySchema = z.object({
  actor: z.string().trim().max(200).optional(),
  subject: z.string().trim().max(200).optional(),
  action: z.string().trim().max(100).optional(),
  from: z.coerce.date().optional(),
  to: z.coerce.date().optional(),
  limit: z.coerce.number().int().min(1).max(10_000).default(200),
});
export type AuditQuery = z.infer<typeof AuditQuerySchema>;

export async function queryAudit(db: Db, q: AuditQuery) {
  const where: Prisma.AuditEventWhereInput = {
    ...(q.actor ? { actorName: { contains: q.actor, mode: "insensitive" } } : {}),
    ...(q.subject ? { OR: [{ subjectId: q.subject }, { subjectType: q.subject }] } : {}),
    ...(q.action ? { action: { contains: q.action } } : {}),
    ...(q.from || q.to ? { at: { ...(q.from ? { gte: q.from } : {}), ...(q.to ? { lte: q.to } : {}) } } : {}),
  };
  const rows = await db.auditEvent.findMany({ where, orderBy: { id: "desc" }, take: q.limit });
  return rows.map((r) => ({ ...r, id: String(r.id) }));
}

const CSV_COLUMNS = ["id", "at", "actorType", "actorName", "action", "subjectType", "subjectId", "data", "hash"] as const;

function csvCell(value: unknown): string {
  const text = value instanceof Date ? value.toISOString() : typeof value === "object" && value !== null ? JSON.stringify(value) : String(value ?? "");
  // Quote everything; a leading = + - @ is prefixed so a spreadsheet never runs it as a formula.
  const safe = /^[=+\-@]/.test(text) ? `'${text}` : text;
  return `"${safe.replace(/"/g, '""')}"`;
}

export function auditToCsv(rows: Awaited<ReturnType<typeof queryAudit>>): string {
  return [CSV_COLUMNS.join(","), ...rows.map((r) => CSV_COLUMNS.map((c) => csvCell(r[c])).join(","))].join("\n") + "\n";
}

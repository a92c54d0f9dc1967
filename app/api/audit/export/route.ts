import { getDb } from "@/lib/db/client";
import { route, json } from "@/lib/http/route";
import { AuditQuerySchema, auditToCsv, queryAudit } from "@/lib/audit/query-audit";

export const GET = route("audit:read", async ({ req }) => {
  const params = new URL(req.url).searchParams;
  const rows = await queryAudit(getDb(), AuditQuerySchema.parse({ limit: 10_000, ...Object.fromEntries(params) }));
  if (params.get("format") === "json") return json(rows, { headers: { "content-disposition": 'attachment; filename="audit.json"' } });
  return new Response(auditToCsv(rows), { headers: { "content-type": "text/csv; charset=utf-8", "content-disposition": 'attachment; filename="audit.csv"' } });
});

import { getDb } from "@/lib/db/client";
import { route, json } from "@/lib/http/route";
import { AuditQuerySchema, queryAudit } from "@/lib/audit/query-audit";

export const GET = route("audit:read", async ({ req }) => json(await queryAudit(getDb(), AuditQuerySchema.parse(Object.fromEntries(new URL(req.url).searchParams)))));

import { getDb } from "@/lib/db/client";
import { route, json } from "@/lib/http/route";
import { verifyAuditChain } from "@/lib/audit/verify-audit-chain";

export const GET = route("audit:read", async () => json(await verifyAuditChain(getDb())));

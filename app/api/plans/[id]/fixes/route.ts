import { getDb } from "@/lib/db/client";
import { route, json } from "@/lib/http/route";
import { applyFix, FixSchema } from "@/lib/plans/apply-fix";

export const POST = route<{ id: string }>("plans:write", async ({ req, actor, params }) => json(await applyFix(getDb(), actor, params.id, FixSchema.parse(await req.json()))));

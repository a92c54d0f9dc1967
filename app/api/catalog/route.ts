import { getDb } from "@/lib/db/client";
import { route, json } from "@/lib/http/route";
import { loadReleaseCatalog } from "@/lib/plans/release-catalog";
import { replaceReleaseCatalog } from "@/lib/plans/edit-release-catalog";

export const GET = route("fleet:read", async () => json(await loadReleaseCatalog(getDb())));
export const PUT = route("catalog:write", async ({ req, actor }) => json(await replaceReleaseCatalog(getDb(), actor, await req.json())));

import { getDb } from "@/lib/db/client";
import { route, json } from "@/lib/http/route";
import { listGoldenRules, setGoldenRules } from "@/lib/fleet/golden-versions";

export const GET = route("fleet:read", async () => json(await listGoldenRules(getDb())));
export const PUT = route("appliances:write", async ({ req, actor }) => json(await setGoldenRules(getDb(), actor, await req.json())));

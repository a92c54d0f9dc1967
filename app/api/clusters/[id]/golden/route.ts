import { getDb } from "@/lib/db/client";
import { route, json } from "@/lib/http/route";
import { setClusterGoldenVersion } from "@/lib/fleet/golden-versions";

export const PUT = route<{ id: string }>("appliances:write", async ({ req, actor, params }) => json(await setClusterGoldenVersion(getDb(), actor, params.id, await req.json())));

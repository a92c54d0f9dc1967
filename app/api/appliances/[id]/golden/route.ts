import { getDb } from "@/lib/db/client";
import { route, json } from "@/lib/http/route";
import { setApplianceGoldenVersion } from "@/lib/fleet/golden-versions";

export const PUT = route<{ id: string }>("appliances:write", async ({ req, actor, params }) => json(await setApplianceGoldenVersion(getDb(), actor, params.id, await req.json())));

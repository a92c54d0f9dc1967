import { getDb } from "@/lib/db/client";
import { route, json } from "@/lib/http/route";
import { advanceWave } from "@/lib/campaigns/control-campaign";

export const POST = route<{ id: string }>("plans:write", async ({ actor, params }) => json(await advanceWave(getDb(), actor, params.id)));

import { getDb } from "@/lib/db/client";
import { route, json } from "@/lib/http/route";
import { launchCampaign } from "@/lib/campaigns/control-campaign";

export const POST = route<{ id: string }>("plans:write", async ({ actor, params }) => json(await launchCampaign(getDb(), actor, params.id)));

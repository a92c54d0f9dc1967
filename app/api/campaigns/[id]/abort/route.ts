import { getDb } from "@/lib/db/client";
import { route, json } from "@/lib/http/route";
import { abortCampaign, AbortCampaignSchema } from "@/lib/campaigns/control-campaign";

export const POST = route<{ id: string }>("plans:write", async ({ req, actor, params }) => json(await abortCampaign(getDb(), actor, params.id, AbortCampaignSchema.parse(await req.json()).reason)));

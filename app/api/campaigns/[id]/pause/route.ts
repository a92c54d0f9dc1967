import { getDb } from "@/lib/db/client";
import { route, json } from "@/lib/http/route";
import { pauseCampaign, PauseCampaignSchema } from "@/lib/campaigns/control-campaign";

export const POST = route<{ id: string }>("plans:write", async ({ req, actor, params }) => json(await pauseCampaign(getDb(), actor, params.id, PauseCampaignSchema.parse(await req.json()).reason || undefined)));

import { getDb } from "@/lib/db/client";
import { route, json } from "@/lib/http/route";
import { CreateCampaignSchema } from "@/lib/campaigns/campaign-input";
import { createCampaign } from "@/lib/campaigns/create-campaign";
import { listCampaigns } from "@/lib/campaigns/read-campaigns";

export const GET = route("fleet:read", async () => json(await listCampaigns(getDb())));
export const POST = route("plans:write", async ({ req, actor }) => json(await createCampaign(getDb(), actor, CreateCampaignSchema.parse(await req.json())), { status: 201 }));

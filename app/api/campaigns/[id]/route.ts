import { getDb } from "@/lib/db/client";
import { route, json } from "@/lib/http/route";
import { readCampaign } from "@/lib/campaigns/read-campaigns";

export const GET = route<{ id: string }>("fleet:read", async ({ params }) => json(await readCampaign(getDb(), params.id)));

import { getDb } from "@/lib/db/client";
import { route, json } from "@/lib/http/route";
import { dryRunCampaign } from "@/lib/campaigns/dry-run";

export const POST = route<{ id: string }>("plans:write", async ({ actor, params }) => json(await dryRunCampaign(getDb(), actor, params.id)));

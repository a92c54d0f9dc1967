import { z } from "zod";
import { getDb } from "@/lib/db/client";
import { route, json } from "@/lib/http/route";
import { pauseCampaign } from "@/lib/campaigns/control-campaign";

const PauseSchema = z.object({ reason: z.string().trim().max(500).optional() }).strict();

export const POST = route<{ id: string }>("plans:write", async ({ req, actor, params }) => json(await pauseCampaign(getDb(), actor, params.id, PauseSchema.parse(await req.json()).reason || undefined)));

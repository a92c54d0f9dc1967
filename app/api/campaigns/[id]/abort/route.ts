import { z } from "zod";
import { getDb } from "@/lib/db/client";
import { route, json } from "@/lib/http/route";
import { abortCampaign } from "@/lib/campaigns/control-campaign";

const AbortSchema = z.object({ reason: z.string().trim().min(1, "say why the campaign is aborted").max(500) }).strict();

export const POST = route<{ id: string }>("plans:write", async ({ req, actor, params }) => json(await abortCampaign(getDb(), actor, params.id, AbortSchema.parse(await req.json()).reason)));

import { z } from "zod";
import { getDb } from "@/lib/db/client";
import { route, json } from "@/lib/http/route";
import { approveWave } from "@/lib/campaigns/control-campaign";

const WaveIndexSchema = z.coerce.number({ error: "the wave index is a number" }).int().min(0);
const ApproveSchema = z.object({ comment: z.string().trim().max(500).optional() }).strict();

export const POST = route<{ id: string; index: string }>("windows:decide", async ({ req, actor, params }) => {
  const index = WaveIndexSchema.parse(params.index);
  return json(await approveWave(getDb(), actor, params.id, index, ApproveSchema.parse(await req.json()).comment || undefined));
});

import { getDb } from "@/lib/db/client";
import { route, json } from "@/lib/http/route";
import { approveWave, ApproveWaveSchema, WaveIndexSchema } from "@/lib/campaigns/control-campaign";

export const POST = route<{ id: string; index: string }>("windows:decide", async ({ req, actor, params }) => {
  const index = WaveIndexSchema.parse(params.index);
  return json(await approveWave(getDb(), actor, params.id, index, ApproveWaveSchema.parse(await req.json()).comment || undefined));
});

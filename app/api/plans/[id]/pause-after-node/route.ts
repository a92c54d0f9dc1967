import { getDb } from "@/lib/db/client";
import { route, json } from "@/lib/http/route";
import { setPauseAfterNode, PauseAfterNodeSchema } from "@/lib/plans/pause-after-node";

// `pause: false` takes the request back while the plan still runs.
export const POST = route<{ id: string }>("plans:write", async ({ req, actor, params }) => {
  const body = PauseAfterNodeSchema.parse(await req.json().catch(() => ({})));
  return json(await setPauseAfterNode(getDb(), actor, params.id, body.pause));
});

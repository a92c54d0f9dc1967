import { z } from "zod";
import { getDb } from "@/lib/db/client";
import { route, json } from "@/lib/http/route";
import { setPauseAfterNode } from "@/lib/plans/pause-after-node";

// `pause: false` takes the request back while the plan still runs.
const Body = z.object({ pause: z.boolean().default(true) });
export const POST = route<{ id: string }>("plans:write", async ({ req, actor, params }) => {
  const body = Body.parse(await req.json().catch(() => ({})));
  return json(await setPauseAfterNode(getDb(), actor, params.id, body.pause));
});

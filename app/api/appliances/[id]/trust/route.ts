import { getDb } from "@/lib/db/client";
import { route, json } from "@/lib/http/route";
import { acceptNewTrust, AcceptTrustSchema } from "@/lib/fleet/trust";

export const POST = route<{ id: string }>("appliances:write", async ({ req, actor, params }) => {
  await acceptNewTrust(getDb(), actor, params.id, AcceptTrustSchema.parse(await req.json()));
  return json({ ok: true });
});

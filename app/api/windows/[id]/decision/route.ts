import { getDb } from "@/lib/db/client";
import { route, json } from "@/lib/http/route";
import { decideWindow, DecideWindowSchema } from "@/lib/windows/windows";

export const POST = route<{ id: string }>("windows:decide", async ({ req, actor, user, params }) => {
  await decideWindow(getDb(), { ...actor, role: user.role }, params.id, DecideWindowSchema.parse(await req.json()));
  return json({ ok: true });
});

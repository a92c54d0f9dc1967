import { getDb } from "@/lib/db/client";
import { route, json } from "@/lib/http/route";
import { retryNode } from "@/lib/plans/control-plan";

export const POST = route<{ id: string; applianceId: string }>("plans:write", async ({ actor, params }) => {
  await retryNode(getDb(), actor, params.id, params.applianceId);
  return json({ ok: true });
});

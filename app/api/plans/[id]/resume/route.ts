import { getDb } from "@/lib/db/client";
import { route, json } from "@/lib/http/route";
import { resumePlan } from "@/lib/plans/control-plan";

export const POST = route<{ id: string }>("plans:write", async ({ actor, params }) => {
  await resumePlan(getDb(), actor, params.id);
  return json({ ok: true });
});

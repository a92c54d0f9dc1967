import { getDb } from "@/lib/db/client";
import { route, json } from "@/lib/http/route";
import { abortPlan, AbortPlanSchema } from "@/lib/plans/control-plan";

export const POST = route<{ id: string }>("plans:write", async ({ req, actor, params }) => {
  await abortPlan(getDb(), actor, params.id, AbortPlanSchema.parse(await req.json()).reason);
  return json({ ok: true });
});

import { getDb } from "@/lib/db/client";
import { route, json } from "@/lib/http/route";
import { launchPlan, LaunchPlanSchema } from "@/lib/plans/launch-plan";

export const POST = route<{ id: string }>("plans:write", async ({ req, actor, params }) => {
  await launchPlan(getDb(), actor, params.id, LaunchPlanSchema.parse(await req.json().catch(() => ({}))));
  return json({ ok: true });
});

import { getDb } from "@/lib/db/client";
import { route, json } from "@/lib/http/route";
import { launchPlan } from "@/lib/plans/launch-plan";

export const POST = route<{ id: string }>("plans:write", async ({ actor, params }) => {
  await launchPlan(getDb(), actor, params.id);
  return json({ ok: true });
});

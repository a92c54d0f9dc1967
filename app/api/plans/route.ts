import { getDb } from "@/lib/db/client";
import { route, json } from "@/lib/http/route";
import { createPlan, CreatePlanSchema } from "@/lib/plans/create-plan";
import { listPlans } from "@/lib/plans/read-plans";

export const GET = route("fleet:read", async ({ req }) => {
  const query = new URL(req.url).searchParams;
  return json(await listPlans(getDb(), { applianceId: query.get("applianceId") ?? undefined, clusterId: query.get("clusterId") ?? undefined }));
});
export const POST = route("plans:write", async ({ req, actor }) => json(await createPlan(getDb(), actor, CreatePlanSchema.parse(await req.json())), { status: 201 }));

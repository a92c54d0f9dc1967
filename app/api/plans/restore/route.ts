import { getDb } from "@/lib/db/client";
import { route, json } from "@/lib/http/route";
import { createRestorePlan, CreateRestorePlanSchema } from "@/lib/plans/create-restore-plan";

export const POST = route("plans:write", async ({ req, actor }) => json(await createRestorePlan(getDb(), actor, CreateRestorePlanSchema.parse(await req.json())), { status: 201 }));

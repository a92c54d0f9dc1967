import { getDb } from "@/lib/db/client";
import { route, json } from "@/lib/http/route";
import { enrolAppliance, EnrolInputSchema } from "@/lib/fleet/enrol-appliance";
import { listAppliances } from "@/lib/fleet/appliance-access";

export const GET = route("fleet:read", async () => json(await listAppliances(getDb())));
export const POST = route("appliances:write", async ({ req, actor }) => json(await enrolAppliance(getDb(), actor, EnrolInputSchema.parse(await req.json())), { status: 201 }));

import { getDb } from "@/lib/db/client";
import { route, json } from "@/lib/http/route";
import { bulkEnrol, BulkEnrolSchema } from "@/lib/fleet/bulk-enrol";

export const POST = route("appliances:write", async ({ req, actor }) => json(await bulkEnrol(getDb(), actor, BulkEnrolSchema.parse(await req.json()).csv)));

import { getDb } from "@/lib/db/client";
import { route, json } from "@/lib/http/route";
import { getAppliance } from "@/lib/fleet/read-fleet";

export const GET = route<{ id: string }>("fleet:read", async ({ params }) => json(await getAppliance(getDb(), params.id)));

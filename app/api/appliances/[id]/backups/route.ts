import { getDb } from "@/lib/db/client";
import { route, json } from "@/lib/http/route";
import { listApplianceBackups } from "@/lib/fleet/read-fleet";

export const GET = route<{ id: string }>("fleet:read", async ({ params }) => json(await listApplianceBackups(getDb(), params.id)));

import { getDb } from "@/lib/db/client";
import { route, json } from "@/lib/http/route";
import { confirmClusterMembers, ConfirmClusterSchema } from "@/lib/fleet/enrol-cluster";
import { listClusters } from "@/lib/fleet/read-fleet";

export const GET = route("fleet:read", async () => json(await listClusters(getDb())));
export const POST = route("appliances:write", async ({ req, actor }) => json(await confirmClusterMembers(getDb(), actor, ConfirmClusterSchema.parse(await req.json())), { status: 201 }));

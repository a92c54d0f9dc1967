import { getDb } from "@/lib/db/client";
import { route, json } from "@/lib/http/route";
import { discoverCluster, DiscoverClusterSchema } from "@/lib/fleet/enrol-cluster";

export const POST = route("appliances:write", async ({ req }) => json(await discoverCluster(getDb(), DiscoverClusterSchema.parse(await req.json()).entryApplianceId)));

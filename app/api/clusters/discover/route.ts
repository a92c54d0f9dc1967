import { z } from "zod";
import { getDb } from "@/lib/db/client";
import { route, json } from "@/lib/http/route";
import { discoverCluster } from "@/lib/fleet/enrol-cluster";

const Body = z.object({ entryApplianceId: z.string().uuid() });
export const POST = route("appliances:write", async ({ req }) => json(await discoverCluster(getDb(), Body.parse(await req.json()).entryApplianceId)));

import { z } from "zod";
import { getDb } from "@/lib/db/client";
import { route, json } from "@/lib/http/route";
import { bulkEnrol } from "@/lib/fleet/bulk-enrol";

const Body = z.object({ csv: z.string().min(1).max(2_000_000) });
export const POST = route("appliances:write", async ({ req, actor }) => json(await bulkEnrol(getDb(), actor, Body.parse(await req.json()).csv)));

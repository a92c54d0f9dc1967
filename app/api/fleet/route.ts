import { getDb } from "@/lib/db/client";
import { route, json } from "@/lib/http/route";
import { readFleetPage } from "@/lib/fleet/fleet-view";

export const GET = route("fleet:read", async ({ req }) => json(await readFleetPage(getDb(), Object.fromEntries(new URL(req.url).searchParams))));

import { getDb } from "@/lib/db/client";
import { route, json } from "@/lib/http/route";
import { listArchives } from "@/lib/archives/receive-archive";

export const GET = route("fleet:read", async () => json(await listArchives(getDb())));

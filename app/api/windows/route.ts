import { getDb } from "@/lib/db/client";
import { route, json } from "@/lib/http/route";
import { listWindows, requestWindow, RequestWindowSchema } from "@/lib/windows/windows";

export const GET = route("fleet:read", async () => json(await listWindows(getDb())));
export const POST = route("windows:request", async ({ req, actor }) => json(await requestWindow(getDb(), actor, RequestWindowSchema.parse(await req.json())), { status: 201 }));

import { getDb } from "@/lib/db/client";
import { route, json } from "@/lib/http/route";
import { getPlan } from "@/lib/plans/read-plans";

export const GET = route<{ id: string }>("fleet:read", async ({ params }) => json(await getPlan(getDb(), params.id)));

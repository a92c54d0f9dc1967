import { getDb } from "@/lib/db/client";
import { route, json } from "@/lib/http/route";
import { readDistributionProgress } from "@/lib/campaigns/distribute";

export const GET = route<{ id: string }>("fleet:read", async ({ params }) => json(await readDistributionProgress(getDb(), params.id)));

// A read by POST: the selection is a body, not a query string. It changes nothing.
import { getDb } from "@/lib/db/client";
import { route, json } from "@/lib/http/route";
import { SelectionSchema } from "@/lib/campaigns/campaign-input";
import { selectTargets } from "@/lib/campaigns/select-targets";

export const POST = route("fleet:read", async ({ req }) => json(await selectTargets(getDb(), SelectionSchema.parse(await req.json()))));

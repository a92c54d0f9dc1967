import { getDb } from "@/lib/db/client";
import { route, json } from "@/lib/http/route";
import { runPrechecks } from "@/lib/plans/run-prechecks";

export const POST = route<{ id: string }>("plans:write", async ({ actor, params }) => json(await runPrechecks(getDb(), actor, params.id)));

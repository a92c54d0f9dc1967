import { getDb } from "@/lib/db/client";
import { route, json } from "@/lib/http/route";
import { z } from "zod";
import { launchPlan } from "@/lib/plans/launch-plan";

const Body = z.object({ schedule: z.boolean().default(false) });
export const POST = route<{ id: string }>("plans:write", async ({ req, actor, params }) => {
  await launchPlan(getDb(), actor, params.id, Body.parse(await req.json().catch(() => ({}))));
  return json({ ok: true });
});

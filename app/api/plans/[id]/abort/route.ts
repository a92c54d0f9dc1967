import { z } from "zod";
import { getDb } from "@/lib/db/client";
import { route, json } from "@/lib/http/route";
import { abortPlan } from "@/lib/plans/control-plan";

const Body = z.object({ reason: z.string().trim().min(1, "reason: say why the plan is aborted").max(2000) });
export const POST = route<{ id: string }>("plans:write", async ({ req, actor, params }) => {
  await abortPlan(getDb(), actor, params.id, Body.parse(await req.json()).reason);
  return json({ ok: true });
});

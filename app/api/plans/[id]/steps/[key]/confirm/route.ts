import { getDb } from "@/lib/db/client";
import { route, json } from "@/lib/http/route";
import { confirmStep, ConfirmStepSchema } from "@/lib/plans/confirm-step";

export const POST = route<{ id: string; key: string }>("plans:write", async ({ req, actor, params }) => {
  await confirmStep(getDb(), actor, params.id, decodeURIComponent(params.key), ConfirmStepSchema.parse(await req.json()).note);
  return json({ ok: true });
});

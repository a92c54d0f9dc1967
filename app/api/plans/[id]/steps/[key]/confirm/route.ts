import { z } from "zod";
import { getDb } from "@/lib/db/client";
import { route, json } from "@/lib/http/route";
import { confirmStep } from "@/lib/plans/confirm-step";

const Body = z.object({ note: z.string().trim().max(2000).default("") });
export const POST = route<{ id: string; key: string }>("plans:write", async ({ req, actor, params }) => {
  await confirmStep(getDb(), actor, params.id, decodeURIComponent(params.key), Body.parse(await req.json()).note);
  return json({ ok: true });
});

import { getDb } from "@/lib/db/client";
import { route, json } from "@/lib/http/route";
import { deleteWebhook, updateWebhook, UpdateWebhookSchema } from "@/lib/notifications/webhooks";

export const PATCH = route<{ id: string }>("appliances:write", async ({ req, actor, params }) => json(await updateWebhook(getDb(), actor, params.id, UpdateWebhookSchema.parse(await req.json()))));
export const DELETE = route<{ id: string }>("appliances:write", async ({ actor, params }) => {
  await deleteWebhook(getDb(), actor, params.id);
  return json({ ok: true });
});

import { getDb } from "@/lib/db/client";
import { route, json } from "@/lib/http/route";
import { createWebhook, CreateWebhookSchema, listWebhooks } from "@/lib/notifications/webhooks";

// Webhooks carry plan news off the console and hold a signing secret: admins manage them.
export const GET = route("appliances:write", async () => json(await listWebhooks(getDb())));
export const POST = route("appliances:write", async ({ req, actor }) => json(await createWebhook(getDb(), actor, CreateWebhookSchema.parse(await req.json())), { status: 201 }));

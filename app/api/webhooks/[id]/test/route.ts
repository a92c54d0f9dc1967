import { getDb } from "@/lib/db/client";
import { route, json } from "@/lib/http/route";
import { sendTestNotification } from "@/lib/notifications/emit-notification";

export const POST = route<{ id: string }>("appliances:write", async ({ actor, params }) => json(await sendTestNotification(getDb(), actor, params.id), { status: 202 }));

import { getDb } from "@/lib/db/client";
import { route, json } from "@/lib/http/route";
import { updateUser, UpdateUserSchema } from "@/lib/auth/manage-users";

export const PATCH = route<{ id: string }>("users:write", async ({ req, actor, params }) => json(await updateUser(getDb(), actor, params.id, UpdateUserSchema.parse(await req.json()))));

import { getDb } from "@/lib/db/client";
import { route, json } from "@/lib/http/route";
import { createUserAccount, CreateUserSchema, listUsers } from "@/lib/auth/manage-users";

// Who has access is admin business: even the list needs users:write.
export const GET = route("users:write", async () => json(await listUsers(getDb())));
export const POST = route("users:write", async ({ req, actor }) => json(await createUserAccount(getDb(), actor, CreateUserSchema.parse(await req.json())), { status: 201 }));

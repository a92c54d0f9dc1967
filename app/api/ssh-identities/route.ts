import { getDb } from "@/lib/db/client";
import { route, json } from "@/lib/http/route";
import { createSshIdentity, CreateSshIdentitySchema, listSshIdentities } from "@/lib/fleet/ssh-identities";

export const GET = route("fleet:read", async () => json(await listSshIdentities(getDb())));

export const POST = route("appliances:write", async ({ req, actor }) => json(await createSshIdentity(getDb(), actor, CreateSshIdentitySchema.parse(await req.json())), { status: 201 }));

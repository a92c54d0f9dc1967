import { z } from "zod";
import { getDb } from "@/lib/db/client";
import { route, json } from "@/lib/http/route";
import { createSshIdentity, listSshIdentities } from "@/lib/fleet/ssh-identities";

export const GET = route("fleet:read", async () => json(await listSshIdentities(getDb())));

const Body = z.object({ name: z.string().trim().min(1).max(100), privateKey: z.string().max(20_000).optional() });
export const POST = route("appliances:write", async ({ req, actor }) => json(await createSshIdentity(getDb(), actor, Body.parse(await req.json())), { status: 201 }));

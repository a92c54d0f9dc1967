import { getDb } from "@/lib/db/client";
import { route, json } from "@/lib/http/route";
import { setTags, TagsBodySchema } from "@/lib/campaigns/tags";

export const PUT = route<{ id: string }>("appliances:write", async ({ req, actor, params }) => json(await setTags(getDb(), actor, { kind: "cluster", id: params.id, tags: TagsBodySchema.parse(await req.json()).tags })));

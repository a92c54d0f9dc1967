import { z } from "zod";
import { getDb } from "@/lib/db/client";
import { route, json } from "@/lib/http/route";
import { TAG_PATTERN } from "@/lib/campaigns/campaign-input";
import { setTags } from "@/lib/campaigns/tags";

// The refused value is named, so a person editing a comma-separated line sees which one is wrong.
const BodySchema = z.object({
  tags: z.array(z.string().trim().regex(TAG_PATTERN, { error: (iss) => `"${String(iss.input)}" is not a tag: write key=value, e.g. site=paris or env=lab (key: lowercase letters, digits, - or _; value without spaces or commas)` })),
}).strict();

export const PUT = route<{ id: string }>("appliances:write", async ({ req, actor, params }) => json(await setTags(getDb(), actor, { kind: "cluster", id: params.id, tags: BodySchema.parse(await req.json()).tags })));

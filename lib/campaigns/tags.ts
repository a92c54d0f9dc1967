// Tags on clusters and appliances ("site=paris", "env=lab"): what campaign selections, canaries
// and waves are made of. Replaced whole, validated, and audited with the before and after.
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { appendAuditEvent, type Actor } from "@/lib/audit/append-audit-event";
import { TAG_PATTERN, TagsSchema } from "@/lib/campaigns/campaign-input";

// PUT /api/clusters/[id]/tags and /api/appliances/[id]/tags. The refused value is named, so a
// person editing a comma-separated line sees which one is wrong.
export const TagsBodySchema = z.object({
  tags: z.array(z.string().trim().regex(TAG_PATTERN, { error: (iss) => `"${String(iss.input)}" is not a tag: write key=value, e.g. site=paris or env=lab (key: lowercase letters, digits, - or _; value without spaces or commas)` })),
}).strict();

export const SetTagsSchema = z.object({
  kind: z.enum(["cluster", "appliance"]),
  id: z.string().uuid(),
  tags: TagsSchema,
}).strict();
export type SetTagsInput = z.input<typeof SetTagsSchema>;

export async function setTags(db: Db, actor: Actor, input: SetTagsInput): Promise<{ kind: "cluster" | "appliance"; id: string; name: string; tags: string[] }> {
  const parsed = SetTagsSchema.safeParse(input);
  if (!parsed.success) throw new AppError("bad-input", parsed.error.issues.map((i) => i.message).join("; "));
  const { kind, id, tags } = parsed.data;
  return db.$transaction(async (tx) => {
    const before = kind === "cluster"
      ? await tx.cluster.findUnique({ where: { id }, select: { name: true, tags: true } })
      : await tx.appliance.findUnique({ where: { id }, select: { name: true, tags: true } });
    if (!before) throw new AppError("not-found", `No ${kind} ${id}.`);
    if (kind === "cluster") await tx.cluster.update({ where: { id }, data: { tags } });
    else await tx.appliance.update({ where: { id }, data: { tags } });
    await appendAuditEvent(tx, { actor, action: "tags-changed", subjectType: kind, subjectId: id, data: { name: before.name, before: before.tags, after: tags } });
    return { kind, id, name: before.name, tags };
  });
}

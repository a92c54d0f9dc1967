// Webhooks, managed by admins: a name, a URL, the events it wants and the body format. Its signing
// secret is sealed at once (lib/secrets) and shown to the admin only in the answer to the create.
import crypto from "node:crypto";
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { appendAuditEvent, type Actor } from "@/lib/audit/append-audit-event";
import { Prisma } from "@/lib/generated/prisma/client";
import { encryptSecret } from "@/lib/secrets/envelope";
import { checkWebhookUrl, NOTIFICATION_EVENTS, WEBHOOK_FORMATS, webhookUrlWarning } from "@/lib/domain/notifications";
import { webhookSecretAad } from "./deliver";

const url = z.string().trim().min(1, "url: say where to send the calls").max(2000).transform((text, ctx) => {
  const checked = checkWebhookUrl(text);
  if (!checked.ok) {
    ctx.addIssue({ code: "custom", message: checked.message });
    return z.NEVER;
  }
  return checked.url;
});
const events = z.array(z.enum(NOTIFICATION_EVENTS)).min(1, "events: choose at least one event").transform((e) => [...new Set(e)]);

export const CreateWebhookSchema = z.object({
  name: z.string().trim().min(1, "name: give the webhook a name").max(100),
  url,
  format: z.enum(WEBHOOK_FORMATS).default("json"),
  events,
  /** Leave empty to have one generated (32 random bytes, hex). */
  secret: z.string().trim().max(200).optional().refine((s) => !s || s.length >= 16, "secret: at least 16 characters, or leave it empty to have one generated"),
});

export const UpdateWebhookSchema = z.object({
  name: z.string().trim().min(1).max(100).optional(),
  url: url.optional(),
  format: z.enum(WEBHOOK_FORMATS).optional(),
  events: events.optional(),
  enabled: z.boolean().optional(),
});

const PUBLIC = { secretEncrypted: true } as const;

function nameTaken(e: unknown, name: string | undefined): never {
  if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === "P2002") throw new AppError("conflict", `A webhook named "${name}" already exists: pick another name.`);
  throw e;
}

/** The answer is the only time the secret leaves the server. */
export async function createWebhook(db: Db, actor: Actor, input: z.infer<typeof CreateWebhookSchema>) {
  const id = crypto.randomUUID();
  const secret = input.secret || crypto.randomBytes(32).toString("hex");
  const webhook = await db.$transaction(async (tx) => {
    const row = await tx.webhook.create({
      data: { id, name: input.name, url: input.url, format: input.format, events: input.events, secretEncrypted: encryptSecret(secret, webhookSecretAad(id)), createdBy: actor.name },
      omit: PUBLIC,
    });
    await appendAuditEvent(tx, { actor, action: "webhook-created", subjectType: "webhook", subjectId: id, data: { name: row.name, url: row.url, format: row.format, events: row.events, secretGenerated: !input.secret } });
    return row;
  }).catch((e: unknown) => nameTaken(e, input.name));
  return { ...webhook, secret, warning: webhookUrlWarning(webhook.url) };
}

export async function updateWebhook(db: Db, actor: Actor, id: string, input: z.infer<typeof UpdateWebhookSchema>) {
  return db.$transaction(async (tx) => {
    const before = await tx.webhook.findUnique({ where: { id }, omit: PUBLIC });
    if (!before) throw new AppError("not-found", "No such webhook: it was deleted. Reload the page.");
    const row = await tx.webhook.update({ where: { id }, data: input, omit: PUBLIC });
    const action = input.enabled === false && before.enabled ? "webhook-disabled" : input.enabled === true && !before.enabled ? "webhook-enabled" : "webhook-updated";
    await appendAuditEvent(tx, { actor, action, subjectType: "webhook", subjectId: id, data: { name: row.name, changed: Object.keys(input), url: row.url, events: row.events, format: row.format } });
    return { ...row, warning: webhookUrlWarning(row.url) };
  }).catch((e: unknown) => nameTaken(e, input.name));
}

/** Its deliveries go with it (they only describe calls to this URL). */
export async function deleteWebhook(db: Db, actor: Actor, id: string): Promise<void> {
  await db.$transaction(async (tx) => {
    const row = await tx.webhook.delete({ where: { id }, omit: PUBLIC });
    await appendAuditEvent(tx, { actor, action: "webhook-deleted", subjectType: "webhook", subjectId: id, data: { name: row.name, url: row.url } });
  });
}

/** Every webhook with its latest deliveries (state, status, error), newest first. */
export async function listWebhooks(db: Db, deliveriesEach = 10) {
  const rows = await db.webhook.findMany({
    orderBy: { createdAt: "asc" },
    omit: PUBLIC,
    include: { deliveries: { orderBy: { createdAt: "desc" }, take: deliveriesEach, omit: { payload: true } } },
  });
  const counts = await db.webhookDelivery.groupBy({ by: ["webhookId", "state"], _count: { _all: true } });
  return rows.map((w) => ({
    ...w,
    warning: webhookUrlWarning(w.url),
    counts: Object.fromEntries(counts.filter((c) => c.webhookId === w.id).map((c) => [c.state, c._count._all])) as Partial<Record<"pending" | "delivered" | "failed", number>>,
  }));
}

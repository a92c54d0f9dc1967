// Emitting a notification: one WebhookDelivery row per subscribed, enabled webhook (unique per
// webhook and happening, so emitting twice adds nothing), then a job per row. Plans call `notify`,
// which never throws and never waits long on Redis: the reconciler re-enqueues what is pending.
import crypto from "node:crypto";
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { appendAuditEvent, type Actor } from "@/lib/audit/append-audit-event";
import type { Prisma } from "@/lib/generated/prisma/client";
import { buildPayload, type NotificationEvent, type WebhookFormat } from "@/lib/domain/notifications";
import { enqueueWebhookDelivery, WEBHOOK_ATTEMPTS } from "@/lib/queue/webhook-queue";
import { logger } from "@/lib/log/logger";
import { consoleUrl, dedupeKey, readNotificationFacts, type NotificationSubject } from "./notification-facts";

/** An enqueue that has not answered by then is left to the reconciler. */
const ENQUEUE_WAIT_MS = 2_000;

/** Creates the deliveries of one happening and enqueues them; returns the ids of the pending ones. */
export async function emitNotification(db: Db, event: NotificationEvent, subject: NotificationSubject): Promise<string[]> {
  const hooks = await db.webhook.findMany({ where: { enabled: true, events: { has: event } }, select: { id: true, format: true } });
  if (hooks.length === 0) return [];
  const facts = await readNotificationFacts(db, event, subject);
  const key = dedupeKey(event, subject);
  await db.webhookDelivery.createMany({
    data: hooks.map((h) => ({ webhookId: h.id, event, dedupeKey: key, payload: buildPayload(h.format as WebhookFormat, facts) as Prisma.InputJsonValue })),
    skipDuplicates: true,
  });
  const pending = await db.webhookDelivery.findMany({ where: { dedupeKey: key, webhookId: { in: hooks.map((h) => h.id) }, state: "pending" }, select: { id: true, attempts: true } });
  await enqueueSoon(pending);
  return pending.map((d) => d.id);
}

/** For the plan's own code paths: a notification that cannot be emitted is logged, never thrown. */
export async function notify(db: Db, event: NotificationEvent, subject: NotificationSubject): Promise<void> {
  try {
    await emitNotification(db, event, subject);
  } catch (e) {
    logger.warn({ err: e, event, subject }, "notification not emitted");
  }
}

/** "Send test": a delivery of the test event to one webhook, through the same queue. */
export async function sendTestNotification(db: Db, actor: Actor, webhookId: string) {
  const hook = await db.webhook.findUnique({ where: { id: webhookId } });
  if (!hook) throw new AppError("not-found", "No such webhook: it was deleted. Reload the page.");
  if (!hook.enabled) throw new AppError("conflict", `Webhook "${hook.name}" is disabled: enable it first, then send the test.`);
  const payload = buildPayload(hook.format as WebhookFormat, { event: "test", at: new Date(), test: { webhook: hook.name, url: `${consoleUrl()}/webhooks` } });
  const delivery = await db.$transaction(async (tx) => {
    const row = await tx.webhookDelivery.create({ data: { webhookId, event: "test", dedupeKey: `test:${crypto.randomUUID()}`, payload: payload as Prisma.InputJsonValue } });
    await appendAuditEvent(tx, { actor, action: "webhook-test-sent", subjectType: "webhook", subjectId: webhookId, data: { name: hook.name, deliveryId: row.id } });
    return row;
  });
  await enqueueSoon([delivery]);
  return delivery;
}

/** Every delivery Postgres says is pending gets its job back (a lost Redis, a killed worker). */
export async function requeuePendingDeliveries(db: Db, limit = 500): Promise<number> {
  const pending = await db.webhookDelivery.findMany({ where: { state: "pending" }, orderBy: { createdAt: "asc" }, take: limit, select: { id: true, attempts: true } });
  for (const d of pending) await enqueueWebhookDelivery(d.id, WEBHOOK_ATTEMPTS - d.attempts);
  return pending.length;
}

async function enqueueSoon(rows: { id: string; attempts: number }[]): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const gaveUp = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      logger.warn({ deliveries: rows.map((r) => r.id) }, "webhook enqueue slow: left to the reconciler");
      resolve();
    }, ENQUEUE_WAIT_MS);
  });
  const added = Promise.all(rows.map((r) => enqueueWebhookDelivery(r.id, WEBHOOK_ATTEMPTS - r.attempts)))
    .then(() => undefined)
    .catch((e: unknown) => logger.warn({ err: e }, "webhook enqueue failed: left to the reconciler"));
  await Promise.race([added, gaveUp]);
  clearTimeout(timer);
}

// The queue that delivers webhook calls: one job per WebhookDelivery row, its id derived from the
// row, so enqueuing twice is a no-op. The row in Postgres is the truth (state, attempts); the job
// only says "try this one now". BullMQ's backoff spaces the attempts.
import { Queue } from "bullmq";
import { z } from "zod";
import { getConfig } from "@/lib/config";
import { getSharedRedis } from "@/lib/queue/connection";

export const WEBHOOK_QUEUE = "webhooks";

export const WebhookJobSchema = z.object({ deliveryId: z.string().uuid() });
export type WebhookJob = z.infer<typeof WebhookJobSchema>;

/** Calls per delivery before it is marked failed. */
export const WEBHOOK_ATTEMPTS = 5;

/** First retry after this (then doubling): 5 s, 10 s, 20 s, 40 s by default. Tests make it short. */
export function webhookBackoffMs(): number {
  return Number(process.env.FLEET_WEBHOOK_BACKOFF_MS ?? 5_000);
}

const holder = globalThis as unknown as { fleetWebhookQueue?: Queue };

export function getWebhookQueue(): Queue {
  holder.fleetWebhookQueue ??= new Queue(WEBHOOK_QUEUE, {
    connection: getSharedRedis("producer"),
    prefix: getConfig().queuePrefix,
    // Finished jobs go at once: the reconciler may re-add the id of a delivery Postgres says is pending.
    defaultJobOptions: { removeOnComplete: true, removeOnFail: true },
  });
  return holder.fleetWebhookQueue;
}

export function webhookJobId(deliveryId: string): string {
  return `webhook-${deliveryId}`;
}

/** `attemptsLeft`: the row's remaining calls, so a re-enqueued delivery keeps its count. */
export async function enqueueWebhookDelivery(deliveryId: string, attemptsLeft = WEBHOOK_ATTEMPTS): Promise<void> {
  await getWebhookQueue().add("deliver-webhook", { deliveryId } satisfies WebhookJob, {
    jobId: webhookJobId(deliveryId),
    attempts: Math.max(1, attemptsLeft),
    backoff: { type: "exponential", delay: webhookBackoffMs() },
  });
}

// The BullMQ worker of the "webhooks" queue, started by workers/main.ts and by tests in-process.
// A bad payload is dropped; a call the receiver did not accept throws, so BullMQ retries it after
// its backoff; the row in Postgres counts the attempts and ends delivered or failed.
import { Worker, type Job } from "bullmq";
import type { Db } from "@/lib/db/client";
import { getConfig } from "@/lib/config";
import { createRedis } from "@/lib/queue/connection";
import { WEBHOOK_QUEUE, WebhookJobSchema } from "@/lib/queue/webhook-queue";
import { deliverWebhook } from "@/lib/notifications/deliver";
import { logger } from "@/lib/log/logger";

export interface WebhookWorker {
  stop(): Promise<void>;
}

export function startWebhookWorker(db: Db, opts: { concurrency?: number } = {}): WebhookWorker {
  const worker = new Worker(
    WEBHOOK_QUEUE,
    async (job: Job) => {
      const parsed = WebhookJobSchema.safeParse(job.data);
      if (!parsed.success) {
        logger.error({ jobId: job.id, issues: parsed.error.issues }, "unrecoverable webhook job payload");
        return;
      }
      const result = await deliverWebhook(db, parsed.data.deliveryId);
      if (result === "retry") throw new Error(`webhook delivery ${parsed.data.deliveryId} not accepted; retrying after backoff`);
    },
    { connection: createRedis("worker"), prefix: getConfig().queuePrefix, concurrency: opts.concurrency ?? 8 },
  );
  worker.on("error", (e) => logger.warn({ err: e }, "webhook worker connection error"));
  return { stop: () => worker.close() };
}

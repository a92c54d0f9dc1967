// The worker process: executes steps from the queue and reconciles with Postgres. On SIGTERM it
// stops taking jobs and lets the current ones finish within FLEET_SHUTDOWN_GRACE_MS, then hands
// back what still runs; a step of a worker that dies is picked up once its lease expires (reconciler.ts).
import { Worker } from "bullmq";
import { getConfig } from "@/lib/config";
import { getDb } from "@/lib/db/client";
import { createRedis } from "@/lib/queue/connection";
import { STEP_QUEUE, StepJobSchema } from "@/lib/queue/step-queue";
import { logger } from "@/lib/log/logger";
import { handBackRunningSteps, runStepJob } from "./run-step";
import { startDistributionWorker } from "./distribution-worker";
import { startWebhookWorker } from "./webhook-worker";
import { settleCampaignWork } from "@/lib/campaigns/advance-campaign";
import { startReconciler } from "./reconciler";
import { closeSshPool } from "@/lib/appliance/ssh-pool";
import { closeRestPool } from "@/lib/appliance/rest-pool";

const db = getDb();
const worker = new Worker(
  STEP_QUEUE,
  async (job) => {
    const parsed = StepJobSchema.safeParse(job.data);
    if (!parsed.success) {
      // A bad payload can never succeed: drop it loudly rather than retry.
      logger.error({ jobId: job.id, issues: parsed.error.issues }, "unrecoverable step job payload");
      return;
    }
    await runStepJob(db, parsed.data);
  },
  { connection: createRedis("worker"), prefix: getConfig().queuePrefix, concurrency: Number(process.env.FLEET_WORKER_CONCURRENCY ?? 20) },
);
worker.on("error", (e) => logger.warn({ err: e }, "worker connection error"));
// Campaign archive copies (docs/campaigns.md "Distribution"): limits hold across every worker process.
const distribution = startDistributionWorker(db, { concurrency: Number(process.env.FLEET_DISTRIBUTE_CONCURRENCY ?? 16) });
// Webhook calls (docs/operator-console.md "Notifications"): never on the steps' workers, so a slow receiver delays no plan.
const webhooks = startWebhookWorker(db, { concurrency: Number(process.env.FLEET_WEBHOOK_CONCURRENCY ?? 8) });
const stopReconciler = startReconciler(db, Number(process.env.FLEET_RECONCILE_MS ?? 5_000));
logger.info({ queue: STEP_QUEUE, prefix: getConfig().queuePrefix }, "worker ready");
console.log("worker ready");

// How long a stopping worker lets its running steps finish before it hands them back.
const SHUTDOWN_GRACE_MS = Number(process.env.FLEET_SHUTDOWN_GRACE_MS ?? 60_000);
let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  logger.info({ signal, graceMs: SHUTDOWN_GRACE_MS }, "worker stopping: finishing current steps");
  stopReconciler();
  // Steps still running when the grace period ends are handed back (pending, attempt not counted).
  const grace = setTimeout(() => {
    const n = handBackRunningSteps(`the worker was stopped (${signal}) and its ${Math.round(SHUTDOWN_GRACE_MS / 1000)} s grace period ended`);
    logger.warn({ steps: n }, "grace period over: handing running steps back");
  }, SHUTDOWN_GRACE_MS);
  await Promise.all([worker.close(), distribution.stop(), webhooks.stop()]);
  clearTimeout(grace);
  // A campaign target being started (plan, backup, launch) finishes its start rather than being cut off.
  await settleCampaignWork();
  closeRestPool();
  await closeSshPool();
  await db.$disconnect();
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));

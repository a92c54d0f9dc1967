// The worker process: executes steps from the queue and reconciles with Postgres. On SIGTERM it
// stops taking jobs and lets the current ones finish; a step still running when it dies is picked
// up by another worker once its lease expires (workers/reconciler.ts).
import { Worker } from "bullmq";
import { getConfig } from "@/lib/config";
import { getDb } from "@/lib/db/client";
import { createRedis } from "@/lib/queue/connection";
import { STEP_QUEUE, StepJobSchema } from "@/lib/queue/step-queue";
import { logger } from "@/lib/log/logger";
import { runStepJob } from "./run-step";
import { startDistributionWorker } from "./distribution-worker";
import { settleCampaignWork } from "@/lib/campaigns/advance-campaign";
import { startReconciler } from "./reconciler";

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
const stopReconciler = startReconciler(db, Number(process.env.FLEET_RECONCILE_MS ?? 5_000));
logger.info({ queue: STEP_QUEUE, prefix: getConfig().queuePrefix }, "worker ready");
console.log("worker ready");

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, "worker stopping: finishing current steps");
  stopReconciler();
  await Promise.all([worker.close(), distribution.stop()]);
  // A campaign target being started (plan, backup, launch) finishes its start rather than being cut off.
  await settleCampaignWork();
  await db.$disconnect();
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));

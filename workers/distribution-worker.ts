// The BullMQ worker of the "distribute" queue, started by workers/main.ts and by tests in-process.
// Failure policy: a dropped connection, a timeout or a copy that hashed wrong is retried (BullMQ's
// attempts, exponential backoff; the next attempt resumes); anything else, or the last attempt,
// fails the target with the reason and stops retrying.
import { UnrecoverableError, Worker, type Job } from "bullmq";
import type { Db } from "@/lib/db/client";
import { getConfig } from "@/lib/config";
import { AppError, isAppError, RETRYABLE_CODES } from "@/lib/errors";
import { createRedis } from "@/lib/queue/connection";
import { DISTRIBUTE_QUEUE, DistributeJobSchema, type DistributeJob } from "@/lib/queue/distribute-queue";
import { failTargetDistribution } from "@/lib/campaigns/distribution-outcome";
import { markTrustChanged } from "@/lib/fleet/trust";
import { logger } from "@/lib/log/logger";
import { distributeArchive } from "./distribute-archive";

export interface DistributionWorker {
  stop(): Promise<void>;
}

/** Jobs one process runs at once; most wait for a fleet-wide upload slot, so this can exceed the limit. */
const DEFAULT_CONCURRENCY = 16;

export function startDistributionWorker(db: Db, opts: { concurrency?: number } = {}): DistributionWorker {
  const stopping = new AbortController();
  const worker = new Worker(
    DISTRIBUTE_QUEUE,
    async (job: Job) => {
      const parsed = DistributeJobSchema.safeParse(job.data);
      if (!parsed.success) {
        // A bad payload can never succeed: drop it loudly rather than retry.
        logger.error({ jobId: job.id, issues: parsed.error.issues }, "unrecoverable distribution job payload");
        return;
      }
      try {
        return await distributeArchive(db, parsed.data, stopping.signal);
      } catch (e) {
        await handleFailure(db, job, parsed.data, e, stopping.signal.aborted);
      }
    },
    { connection: createRedis("worker"), prefix: getConfig().queuePrefix, concurrency: opts.concurrency ?? DEFAULT_CONCURRENCY },
  );
  worker.on("error", (e) => logger.warn({ err: e }, "distribution worker connection error"));
  return {
    async stop() {
      // Copies in flight stop at once; their jobs resume from the partial file on the next attempt.
      stopping.abort(new AppError("timeout", "the worker is stopping"));
      await worker.close();
    },
  };
}

async function handleFailure(db: Db, job: Job, data: DistributeJob, e: unknown, stopping: boolean): Promise<never> {
  const err = isAppError(e) ? e : new AppError("internal", e instanceof Error ? e.message : String(e));
  const retryable = RETRYABLE_CODES.has(err.code) || err.details?.retry === true;
  const last = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
  // A copy cut short by our own shutdown says nothing about the target: never fail it for that.
  if (stopping || (retryable && !last)) {
    logger.info({ jobId: job.id, attempt: job.attemptsMade + 1, code: err.code }, `distribution will retry: ${err.message}`);
    throw err;
  }
  logger.warn({ jobId: job.id, code: err.code }, `distribution failed: ${err.message}`);
  await markTrustChanged(db, data.applianceId, err);
  const target = await db.campaignTarget.findUnique({ where: { id: data.targetId }, select: { id: true, campaignId: true, name: true } });
  const node = await db.appliance.findUnique({ where: { id: data.applianceId }, select: { name: true } });
  const words = node && !err.message.startsWith(node.name) ? `${node.name}: ${err.message}` : err.message;
  if (target) await failTargetDistribution(db, target, retryable ? `${words} (gave up after ${job.attemptsMade + 1} attempts)` : words);
  throw new UnrecoverableError(err.message);
}

// The queue that copies campaign archives to appliances ahead of their window: one job per
// (target, node, archive). The job id is derived from those three, so enqueuing twice is a no-op.
import { Queue } from "bullmq";
import { z } from "zod";
import { getConfig } from "@/lib/config";
import { getSharedRedis } from "@/lib/queue/connection";

export const DISTRIBUTE_QUEUE = "distribute";

export const DistributeJobSchema = z.object({
  campaignId: z.string().uuid(),
  targetId: z.string().uuid(),
  applianceId: z.string().uuid(),
  archiveId: z.string().uuid(),
});
export type DistributeJob = z.infer<typeof DistributeJobSchema>;

/** Attempts per job: a dropped connection resumes on the next one, after 1, 2, 4, 8 s. */
export const DISTRIBUTE_ATTEMPTS = 5;
const KEEP_SECONDS = 7 * 86_400;

const holder = globalThis as unknown as { fleetDistributeQueue?: Queue };

export function getDistributeQueue(): Queue {
  holder.fleetDistributeQueue ??= new Queue(DISTRIBUTE_QUEUE, {
    connection: getSharedRedis("producer"),
    prefix: getConfig().queuePrefix,
    // Finished jobs are kept for a week so a second start finds their ids and adds nothing.
    defaultJobOptions: {
      attempts: DISTRIBUTE_ATTEMPTS,
      backoff: { type: "exponential", delay: 1_000 },
      removeOnComplete: { age: KEEP_SECONDS },
      removeOnFail: { age: KEEP_SECONDS },
    },
  });
  return holder.fleetDistributeQueue;
}

export function distributeJobId(job: DistributeJob): string {
  return `dist-${job.targetId}-${job.applianceId}-${job.archiveId}`;
}

/**
 * Adds the job unless one with its id exists. A job that failed for good is replaced: the target
 * was put back to pending on purpose (an operator freed the disk), so the copy is tried again.
 */
export async function enqueueDistribution(job: DistributeJob): Promise<"added" | "exists"> {
  const queue = getDistributeQueue();
  const jobId = distributeJobId(job);
  const existing = await queue.getJob(jobId);
  if (existing) {
    if ((await existing.getState()) !== "failed") return "exists";
    await existing.remove();
  }
  await queue.add("distribute-archive", job, { jobId });
  return "added";
}

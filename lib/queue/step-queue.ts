// The one queue that delivers step work. Jobs carry ids, never state; the job id is derived from
// the step and its attempt, so enqueuing twice is a no-op (BullMQ's idempotent-jobs pattern).
import { Queue } from "bullmq";
import { z } from "zod";
import { getConfig } from "@/lib/config";
import { getSharedRedis } from "@/lib/queue/connection";

export const STEP_QUEUE = "steps";

export const StepJobSchema = z.object({ planId: z.string().uuid(), stepId: z.string().uuid(), attempt: z.number().int().min(0) });
export type StepJob = z.infer<typeof StepJobSchema>;

const holder = globalThis as unknown as { fleetStepQueue?: Queue };

export function getStepQueue(): Queue {
  holder.fleetStepQueue ??= new Queue(STEP_QUEUE, {
    connection: getSharedRedis("producer"),
    prefix: getConfig().queuePrefix,
    // Finished jobs are removed at once so the same id can be enqueued again after a pause or a
    // lost claim; Postgres's claim, not the job id, is what makes a step run at most once.
    defaultJobOptions: { removeOnComplete: true, removeOnFail: true, attempts: 1 },
  });
  return holder.fleetStepQueue;
}

export function stepJobId(job: StepJob): string {
  return `step-${job.stepId}-a${job.attempt}`;
}

export async function enqueueStep(job: StepJob, delayMs = 0): Promise<void> {
  await getStepQueue().add("run-step", job, { jobId: stepJobId(job), delay: delayMs });
}

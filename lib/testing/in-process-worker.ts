// The real worker loop (BullMQ on the real Redis), started inside a test process.
import { Worker } from "bullmq";
import type { Db } from "@/lib/db/client";
import { getConfig } from "@/lib/config";
import { createRedis } from "@/lib/queue/connection";
import { STEP_QUEUE, StepJobSchema } from "@/lib/queue/step-queue";
import { runStepJob } from "@/workers/run-step";
import { startReconciler } from "@/workers/reconciler";

export function startInProcessWorker(db: Db): { stop(): Promise<void> } {
  const worker = new Worker(STEP_QUEUE, async (job) => runStepJob(db, StepJobSchema.parse(job.data)), {
    connection: createRedis("worker"), prefix: getConfig().queuePrefix, concurrency: 10,
  });
  const stopReconciler = startReconciler(db, 1_000);
  return {
    async stop() {
      stopReconciler();
      await worker.close();
    },
  };
}

/** Polls Postgres until the plan reaches one of the states, or fails with what it last saw. */
export async function waitForPlanState(db: Db, planId: string, states: string[], timeoutMs = 60_000): Promise<string> {
  const end = Date.now() + timeoutMs;
  let last = "";
  while (Date.now() < end) {
    const plan = await db.upgradePlan.findUniqueOrThrow({ where: { id: planId } });
    last = `${plan.state}${plan.stateReason ? `: ${plan.stateReason}` : ""}`;
    if (states.includes(plan.state)) return plan.state;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`plan ${planId} did not reach ${states.join("/")} within ${timeoutMs} ms; last seen ${last}`);
}

/** Polls until a step reaches a state (e.g. a confirmation step is `waiting` for a person). */
export async function waitForStepState(db: Db, planId: string, key: string, state: string, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const step = await db.step.findUniqueOrThrow({ where: { planId_key: { planId, key } } });
    if (step.state === state) return;
    if (Date.now() > end) throw new Error(`step ${key} did not become ${state} within ${timeoutMs} ms; it is ${step.state}: ${step.outcome ?? ""}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

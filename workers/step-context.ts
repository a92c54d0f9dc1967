// What a step handler may use: the plan and step rows, the appliance's access (decrypted late),
// a deadline signal, and ways to report output, progress and observations as plan events.
import type { Db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { appendPlanEvents, type PlanEventInput } from "@/lib/events/plan-events";
import { loadApplianceAccess, type ApplianceAccess } from "@/lib/fleet/appliance-access";

export type StepRow = Prisma.StepGetPayload<object>;
export type PlanRow = Prisma.UpgradePlanGetPayload<object>;

export interface StepOutcome {
  /** `waiting`: the step needs a person (operator-confirm); it runs again once they answer. */
  state: "succeeded" | "skipped" | "waiting";
  outcome: string;
}

export interface StepContext {
  db: Db;
  plan: PlanRow;
  step: StepRow;
  signal: AbortSignal;
  access(): Promise<ApplianceAccess>;
  log(line: string): void;
  progress(data: Record<string, unknown>): void;
  /** Records a fact on the step before acting on it, so a re-run can observe it. */
  observe(data: Record<string, unknown>): Promise<void>;
  flush(): Promise<void>;
}

const LOG_FLUSH_MS = 250;
const PROGRESS_MIN_MS = 500;

export function createStepContext(db: Db, plan: PlanRow, step: StepRow, signal: AbortSignal): StepContext {
  let pending: PlanEventInput[] = [];
  let outputTail = step.output;
  let timer: NodeJS.Timeout | null = null;
  let lastProgress = 0;
  let cachedAccess: Promise<ApplianceAccess> | null = null;
  let observed = (step.observed ?? {}) as Record<string, unknown>;

  // Writes go one after another, in the order they were made: an older progress report or event
  // batch never lands after a newer one.
  let writes: Promise<unknown> = Promise.resolve();
  const inOrder = <T>(write: () => Promise<T>): Promise<T> => {
    const next = writes.then(write);
    writes = next.catch(() => {});
    return next;
  };
  function flush(): Promise<void> {
    if (timer) clearTimeout(timer);
    timer = null;
    const batch = pending;
    pending = [];
    const tail = outputTail;
    return inOrder(async () => {
      if (batch.length === 0) return;
      await db.step.update({ where: { id: step.id }, data: { output: tail } });
      await appendPlanEvents(db, plan.id, batch);
    });
  }
  const schedule = () => { timer ??= setTimeout(() => void flush().catch(() => {}), LOG_FLUSH_MS); };

  return {
    db, plan, step, signal,
    access: () => (cachedAccess ??= loadApplianceAccess(db, step.applianceId ?? plan.applianceId)),
    log(line) {
      outputTail = `${outputTail}${line}\n`.slice(-64 * 1024);
      pending.push({ type: "step-log", stepKey: step.key, data: { line } });
      schedule();
    },
    progress(data) {
      const now = Date.now();
      if (now - lastProgress < PROGRESS_MIN_MS && data.done !== true) return;
      lastProgress = now;
      pending.push({ type: "step-progress", stepKey: step.key, data });
      void inOrder(() => db.step.update({ where: { id: step.id }, data: { progress: data as Prisma.InputJsonValue } })).catch(() => {});
      schedule();
    },
    async observe(data) {
      observed = { ...observed, ...data };
      await db.step.update({ where: { id: step.id }, data: { observed: observed as Prisma.InputJsonValue } });
    },
    flush,
  };
}

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
  /**
   * The step's last writes, handed to its completion instead of written: waits for writes under
   * way, then returns the row fields (output tail, progress) and the events not yet written, so the
   * completion writes them with its own (two round trips fewer per step).
   */
  drain(): Promise<{ data: Prisma.StepUpdateInput; events: PlanEventInput[] }>;
  /** Writes an event ahead of anything the handler reports, without waiting for it. */
  announce(event: PlanEventInput): void;
}

const LOG_FLUSH_MS = 250;
// Progress (bytes, rate, time left) is worth a write about once a second: the plan room shows it
// in seconds, and each report is a row update, an event and a publish. The latest report waits for
// the next turn rather than being dropped, so the last value always lands.
const PROGRESS_MIN_MS = 1_000;

export function createStepContext(db: Db, plan: PlanRow, step: StepRow, signal: AbortSignal): StepContext {
  let pending: PlanEventInput[] = [];
  let outputTail = step.output;
  let outputChanged = false;
  let timer: NodeJS.Timeout | null = null;
  let lastProgress = 0;
  let latestProgress: Record<string, unknown> | null = null;
  let progressTimer: NodeJS.Timeout | null = null;
  let progressToWrite: Record<string, unknown> | null = null;
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
  /** What is waiting to be written: the row's output tail and progress, and the events. */
  function take(): { data: Prisma.StepUpdateInput; events: PlanEventInput[] } {
    takeProgress();
    if (timer) clearTimeout(timer);
    timer = null;
    const batch = pending;
    pending = [];
    const data: Prisma.StepUpdateInput = {};
    if (outputChanged) data.output = outputTail;
    if (progressToWrite) data.progress = progressToWrite as Prisma.InputJsonValue;
    outputChanged = false;
    progressToWrite = null;
    return { data, events: batch };
  }
  /** The step row's output tail and progress, then the events, in one turn. */
  function flush(): Promise<void> {
    const { data, events: batch } = take();
    return inOrder(async () => {
      if (Object.keys(data).length) await db.step.update({ where: { id: step.id }, data });
      await appendPlanEvents(db, plan.id, batch);
    });
  }
  const schedule = () => { timer ??= setTimeout(() => void flush().catch(() => {}), LOG_FLUSH_MS); };
  /** Moves the latest progress report into the next write. */
  function takeProgress(): void {
    if (progressTimer) clearTimeout(progressTimer);
    progressTimer = null;
    if (!latestProgress) return;
    lastProgress = Date.now();
    pending.push({ type: "step-progress", stepKey: step.key, data: latestProgress });
    progressToWrite = latestProgress;
    latestProgress = null;
    schedule();
  }

  return {
    db, plan, step, signal,
    access: () => (cachedAccess ??= loadApplianceAccess(db, step.applianceId ?? plan.applianceId)),
    log(line) {
      outputTail = `${outputTail}${line}\n`.slice(-64 * 1024);
      outputChanged = true;
      pending.push({ type: "step-log", stepKey: step.key, data: { line } });
      schedule();
    },
    progress(data) {
      latestProgress = data;
      const wait = lastProgress + PROGRESS_MIN_MS - Date.now();
      if (wait <= 0 || data.done === true) return takeProgress();
      progressTimer ??= setTimeout(takeProgress, wait);
    },
    async observe(data) {
      observed = { ...observed, ...data };
      await db.step.update({ where: { id: step.id }, data: { observed: observed as Prisma.InputJsonValue } });
    },
    flush,
    async drain() {
      await writes;
      return take();
    },
    announce(event) {
      void inOrder(() => appendPlanEvents(db, plan.id, [event])).catch(() => {});
    },
  };
}

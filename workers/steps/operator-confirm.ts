// A person's confirmation inside a running plan: the node list is the whole cluster [F11], client
// traffic is stopped [F9][R2], the wipe of a downgrade is understood [D3][D5], clients may resume
// [F12][R11]. The step waits (no worker is held) until someone confirms it in the plan room.
import type { StepContext, StepOutcome } from "../step-context";

export async function operatorConfirm(ctx: StepContext): Promise<StepOutcome> {
  const observed = (ctx.step.observed ?? {}) as { confirmedBy?: string; confirmedAt?: string; note?: string };
  if (observed.confirmedBy) {
    return { state: "succeeded", outcome: `confirmed by ${observed.confirmedBy} at ${observed.confirmedAt}${observed.note ? `: ${observed.note}` : ""}` };
  }
  return { state: "waiting", outcome: "waiting for an operator to confirm in the plan room" };
}

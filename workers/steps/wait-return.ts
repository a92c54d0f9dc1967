// Wait for the appliance to answer SSH (pinned key) and REST again, within the step's deadline.
import { getConfig } from "@/lib/config";
import { waitForAppliance } from "@/lib/appliance/wait-for-return";
import type { StepContext, StepOutcome } from "../step-context";

export async function waitReturn(ctx: StepContext): Promise<StepOutcome> {
  const { endpoint, credentials, trust } = await ctx.access();
  const deadlineMs = ctx.step.deadlineSeconds * 1000 * getConfig().deadlineScale;
  const pollMs = Math.max(250, Math.min(5_000, deadlineMs / 40));
  const back = await waitForAppliance(endpoint, credentials, trust, {
    deadlineMs, pollMs, signal: ctx.signal,
    onAttempt: ({ attempt, elapsedMs, error }) => ctx.log(`attempt ${attempt} after ${Math.round(elapsedMs / 1000)} s: ${error.message}`),
  });
  return { state: "succeeded", outcome: `back after ${Math.round(back.elapsedMs / 1000)} s (${back.attempts} attempts), reports ${back.systemInfo.version}` };
}

// Wait for the appliance to answer SSH (pinned key) and REST again, within the step's deadline.
// While this plan has the REST API disabled (offline in-place), SSH alone counts as back.
import { setTimeout as delay } from "node:timers/promises";
import { getConfig } from "@/lib/config";
import { AppError } from "@/lib/errors";
import { waitForAppliance } from "@/lib/appliance/wait-for-return";
import { openSshSession } from "@/lib/appliance/ssh-session";
import type { StepContext, StepOutcome } from "../step-context";
import { restDisabledByPlan } from "./helpers";

export async function waitReturn(ctx: StepContext): Promise<StepOutcome> {
  const { endpoint, credentials, trust } = await ctx.access();
  const deadlineMs = ctx.step.deadlineSeconds * 1000 * getConfig().deadlineScale;
  // The 5 s cap shrinks with the deadlines (FLEET_DEADLINE_SCALE), so a fast simulator is polled in proportion.
  const pollMs = Math.max(250, Math.min(5_000 * getConfig().deadlineScale, deadlineMs / 40));
  const onAttempt = ({ attempt, elapsedMs, error }: { attempt: number; elapsedMs: number; error: AppError }) => ctx.log(`attempt ${attempt} after ${Math.round(elapsedMs / 1000)} s: ${error.message}`);
  if (await restDisabledByPlan(ctx)) return waitForSshOnly(ctx, deadlineMs, pollMs, onAttempt);
  const back = await waitForAppliance(endpoint, credentials, trust, { deadlineMs, pollMs, signal: ctx.signal, onAttempt });
  return { state: "succeeded", outcome: `back after ${Math.round(back.elapsedMs / 1000)} s (${back.attempts} attempts), reports ${back.systemInfo.version}` };
}

async function waitForSshOnly(ctx: StepContext, deadlineMs: number, pollMs: number, onAttempt: (a: { attempt: number; elapsedMs: number; error: AppError }) => void): Promise<StepOutcome> {
  const { endpoint, credentials, trust } = await ctx.access();
  const started = Date.now();
  for (let attempt = 1; ; attempt++) {
    try {
      const session = await openSshSession(endpoint, credentials, trust, { signal: ctx.signal, readyTimeoutMs: Math.min(20_000, deadlineMs) });
      await session.close();
      return { state: "succeeded", outcome: `SSH back after ${Math.round((Date.now() - started) / 1000)} s (${attempt} attempts); REST stays disabled until the plan enables it` };
    } catch (e) {
      const err = e instanceof AppError ? e : new AppError("appliance-unreachable", String(e));
      if (err.code === "host-key-changed") throw err;
      onAttempt({ attempt, elapsedMs: Date.now() - started, error: err });
      if (Date.now() - started + pollMs > deadlineMs) throw new AppError("timeout", `the appliance did not come back within ${Math.round(deadlineMs / 1000)} s; last error: ${err.message}`);
      await delay(pollMs, undefined, { signal: ctx.signal });
    }
  }
}

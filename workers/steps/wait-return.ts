// Wait for the appliance to answer SSH (pinned key) and REST again, within the step's deadline.
// While this plan has the REST API disabled (offline in-place), SSH alone counts as back.
import { setTimeout as delay } from "node:timers/promises";
import { getConfig } from "@/lib/config";
import { AppError } from "@/lib/errors";
import { waitForAppliance } from "@/lib/appliance/wait-for-return";
import { openSshSession } from "@/lib/appliance/ssh-session";
import type { StepContext, StepOutcome } from "../step-context";
import { dropAppliancePools, restDisabledByPlan } from "./helpers";

export async function waitReturn(ctx: StepContext): Promise<StepOutcome> {
  const { endpoint, credentials, trust } = await ctx.access();
  // Whatever restarted the appliance (a reboot, a factory reset) ended every connection kept to it.
  await dropAppliancePools(endpoint);
  const deadlineMs = ctx.step.deadlineSeconds * 1000 * getConfig().deadlineScale;
  const pollMs = returnPollMs(deadlineMs);
  const onAttempt = attemptLogger(ctx);
  if (await restDisabledByPlan(ctx)) return waitForSshOnly(ctx, deadlineMs, pollMs, onAttempt);
  const back = await waitForAppliance(endpoint, credentials, trust, { deadlineMs, pollMs, signal: ctx.signal, onAttempt });
  return { state: "succeeded", outcome: `back after ${Math.round(back.elapsedMs / 1000)} s (${back.attempts} attempts), reports ${back.systemInfo.version}` };
}

/**
 * Logs a failed attempt when its error differs from the last one logged, and every tenth: the log
 * tells how the return went without a line (a write and an event) per quick poll.
 */
function attemptLogger(ctx: StepContext): (a: { attempt: number; elapsedMs: number; error: AppError }) => void {
  let lastLogged = "";
  return ({ attempt, elapsedMs, error }) => {
    if (error.message === lastLogged && attempt % 10 !== 0) return;
    lastLogged = error.message;
    ctx.log(`attempt ${attempt} after ${Math.round(elapsedMs / 1000)} s: ${error.message}`);
  };
}

/**
 * The pause between attempts: a tenth of the time waited so far, so the return is noticed within
 * about a tenth of the reboot's length, between 250 ms and a cap of 5 s that shrinks with the
 * deadlines (FLEET_DEADLINE_SCALE). A fixed pause at the cap made every short reboot look up to
 * a whole pause longer; an appliance that takes minutes is still asked only every 5 s.
 */
export function returnPollMs(deadlineMs: number): (elapsedMs: number) => number {
  const capMs = Math.max(250, Math.min(5_000 * getConfig().deadlineScale, deadlineMs / 40));
  return (elapsedMs) => Math.round(Math.max(250, Math.min(capMs, elapsedMs / 10)));
}

async function waitForSshOnly(ctx: StepContext, deadlineMs: number, pollMs: (elapsedMs: number) => number, onAttempt: (a: { attempt: number; elapsedMs: number; error: AppError }) => void): Promise<StepOutcome> {
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
      const pause = pollMs(Date.now() - started);
      if (Date.now() - started + pause > deadlineMs) throw new AppError("timeout", `the appliance did not come back within ${Math.round(deadlineMs / 1000)} s; last error: ${err.message}`);
      await delay(pause, undefined, { signal: ctx.signal });
    }
  }
}

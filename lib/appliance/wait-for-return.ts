// After a reboot: poll until the appliance accepts SSH (with the pinned key) and its REST API
// answers. A changed host key or certificate is not "still booting": it stops the wait at once.
import { setTimeout as delay } from "node:timers/promises";
import { AppError } from "@/lib/errors";
import type { ApplianceCredentials, ApplianceEndpoint, ApplianceTrust } from "./types";
import { openSshSession } from "./ssh-session";
import { createRestClient, type SystemInfo } from "./rest-client";
import { abortError } from "./connect-errors";

export interface WaitForApplianceOptions {
  /** Time budget in ms, counted from the call (not an epoch timestamp). */
  deadlineMs: number;
  /** Pause between failed attempts, fixed or from the time waited so far; default 5 s. */
  pollMs?: number | ((elapsedMs: number) => number);
  signal?: AbortSignal;
  onAttempt?(info: { attempt: number; elapsedMs: number; error: AppError }): void;
}

export interface ApplianceReturn {
  systemInfo: SystemInfo;
  attempts: number;
  elapsedMs: number;
}

const FATAL = new Set(["host-key-changed", "certificate-changed", "bad-input"]);
const ATTEMPT_CAP_MS = 20_000;

export async function waitForAppliance(
  endpoint: ApplianceEndpoint,
  credentials: ApplianceCredentials,
  trust: ApplianceTrust,
  opts: WaitForApplianceOptions,
): Promise<ApplianceReturn> {
  const started = Date.now();
  const deadline = started + opts.deadlineMs;
  const given = opts.pollMs ?? 5_000;
  const pollMs = typeof given === "function" ? given : () => given;
  const budget = new AbortController();
  const deadlineTimer = setTimeout(() => budget.abort(), opts.deadlineMs);
  const onOuterAbort = () => budget.abort();
  opts.signal?.addEventListener("abort", onOuterAbort, { once: true });
  let lastError: AppError | null = null;
  // Once SSH answered with the pinned key after an attempt had failed (so on the far side of the
  // reboot, not before it took effect), the appliance has booted: later attempts only wait for its
  // REST API (the services' start), without another SSH handshake each time.
  const seen = { ssh: false, failed: false };
  try {
    for (let attempt = 1; ; attempt++) {
      if (opts.signal?.aborted) throw abortError(opts.signal);
      const remaining = deadline - Date.now();
      if (remaining <= 0) break;
      try {
        const systemInfo = await attemptOnce(endpoint, credentials, trust, Math.min(remaining, ATTEMPT_CAP_MS), budget.signal, seen);
        return { systemInfo, attempts: attempt, elapsedMs: Date.now() - started };
      } catch (e) {
        if (opts.signal?.aborted) throw abortError(opts.signal);
        if (budget.signal.aborted) break; // the deadline cut this attempt short
        const error = e instanceof AppError ? e : new AppError("appliance-error", (e as Error).message);
        if (FATAL.has(error.code)) throw error;
        seen.failed = true;
        lastError = error;
        opts.onAttempt?.({ attempt, elapsedMs: Date.now() - started, error });
      }
      const pause = Math.min(pollMs(Date.now() - started), deadline - Date.now());
      if (pause <= 0) break;
      try {
        await delay(pause, undefined, { signal: budget.signal });
      } catch {
        if (opts.signal?.aborted) throw abortError(opts.signal);
        break;
      }
    }
    throw new AppError(
      "timeout",
      `${endpoint.host}: appliance did not come back within ${seconds(opts.deadlineMs)} s; last error: ${lastError?.message ?? "none (no attempt finished)"}`,
      { lastErrorCode: lastError?.code },
    );
  } finally {
    clearTimeout(deadlineTimer);
    opts.signal?.removeEventListener("abort", onOuterAbort);
  }
}

async function attemptOnce(
  endpoint: ApplianceEndpoint,
  credentials: ApplianceCredentials,
  trust: ApplianceTrust,
  timeoutMs: number,
  signal: AbortSignal,
  seen: { ssh: boolean; failed: boolean },
): Promise<SystemInfo> {
  if (!seen.ssh) {
    const session = await openSshSession(endpoint, credentials, trust, { readyTimeoutMs: timeoutMs, signal });
    await session.close();
    seen.ssh = seen.failed;
  }
  const rest = createRestClient(endpoint, credentials, trust, { timeoutMs });
  try {
    return await raceAbort(rest.systemInfo(), signal);
  } finally {
    rest.close();
  }
}

function raceAbort<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(abortError(signal));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortError(signal));
    signal.addEventListener("abort", onAbort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? String(ms / 1000) : (ms / 1000).toFixed(1);
}

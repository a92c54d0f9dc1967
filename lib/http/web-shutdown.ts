// The web process's graceful stop. `next start` already answers SIGTERM by closing its listening
// socket and waiting for the requests in flight; an event stream never finishes by itself, so
// without this the process would hang until SIGKILL and every browser would see a broken stream.
// Here SIGTERM also (1) ends every open event stream with a `shutdown` event and a short retry, so
// browsers reconnect with Last-Event-ID to another instance or the restarted one and lose nothing,
// (2) makes API routes answer 503 with Retry-After to requests still arriving on kept-alive
// connections, and (3) bounds the whole stop by FLEET_WEB_SHUTDOWN_GRACE_MS.
// State lives on globalThis: instrumentation and each route are separate bundles in one process.
import { setMaxListeners } from "node:events";

interface ShutdownState {
  controller: AbortController;
  installed: boolean;
  startedAt: number | null;
}

/** The last words of an event stream on a stopping server: reconnect in a second (with Last-Event-ID). */
export const SHUTDOWN_EVENT = `retry: 1000\nevent: shutdown\ndata: ${JSON.stringify({ reason: "the console server is restarting; reconnecting" })}\n\n`;

const KEY = Symbol.for("fleet-upgrade-console.web-shutdown");
const DEFAULT_GRACE_MS = 25_000;

function state(): ShutdownState {
  const g = globalThis as typeof globalThis & { [KEY]?: ShutdownState };
  if (!g[KEY]) {
    const controller = new AbortController();
    // One listener per open event stream: fifty viewers are normal, not a leak.
    setMaxListeners(0, controller.signal);
    g[KEY] = { controller, installed: false, startedAt: null };
  }
  return g[KEY];
}

/** Aborts when the process begins to stop; event streams end on it. */
export function shutdownSignal(): AbortSignal {
  return state().controller.signal;
}

export function isShuttingDown(): boolean {
  return state().controller.signal.aborted;
}

export function graceMs(env: Record<string, string | undefined> = process.env): number {
  const raw = env.FLEET_WEB_SHUTDOWN_GRACE_MS;
  if (raw === undefined || raw === "") return DEFAULT_GRACE_MS;
  const ms = Number(raw);
  if (!Number.isInteger(ms) || ms < 0) throw new Error(`FLEET_WEB_SHUTDOWN_GRACE_MS must be a whole number of milliseconds, not "${raw}".`);
  return ms;
}

/** Starts the stop: streams end now; the process exits by itself once Next has drained, or at the grace. */
export function beginShutdown(reason: string, opts: { graceMs?: number; exit?: (code: number) => void; log?: (line: string) => void } = {}): void {
  const s = state();
  if (s.startedAt !== null) return;
  s.startedAt = Date.now();
  const grace = opts.graceMs ?? graceMs();
  const log = opts.log ?? ((line: string) => console.log(line));
  log(`[web] ${reason}: no new connections; ending event streams; exiting when requests in flight finish (at most ${grace} ms)`);
  s.controller.abort(new Error(reason));
  const exit = opts.exit ?? ((code: number) => process.exit(code));
  const timer = setTimeout(() => {
    log(`[web] requests still in flight after ${grace} ms: exiting anyway`);
    exit(1);
  }, grace);
  // The timer must not keep an otherwise finished process alive.
  timer.unref();
}

/** Called once from instrumentation.ts; Next's own SIGTERM handler closes the server beside it. */
export function installWebShutdown(): void {
  const s = state();
  if (s.installed) return;
  s.installed = true;
  // Validate now: a bad value should stop the start, not the stop.
  graceMs();
  for (const signal of ["SIGTERM", "SIGINT"] as const) process.once(signal, () => beginShutdown(`${signal} received`));
}

// A worker's SSH connections, kept open between the steps of one appliance: a handshake and a
// login cost both sides CPU, and a rolling plan runs a dozen short steps per node. A connection is
// kept only for the same address, user, key and pinned host key it was verified against, only
// while idle for less than FLEET_SSH_IDLE_MS, and never after an error, a reboot or shutdown.
import crypto from "node:crypto";
import { normalizeSshFingerprint } from "./fingerprints";
import { openSshSession, type OpenSshSessionOptions, type SshSession } from "./ssh-session";
import type { ApplianceCredentials, ApplianceEndpoint, ApplianceTrust } from "./types";

interface IdleSession {
  session: SshSession;
  timer: NodeJS.Timeout;
}

const DEFAULT_IDLE_MS = 30_000;
/** Idle connections kept per appliance: enough for a node's upload beside its checks. */
const MAX_IDLE_PER_KEY = 2;

const holder = globalThis as unknown as { fleetSshPool?: Map<string, IdleSession[]> };
const idle: Map<string, IdleSession[]> = (holder.fleetSshPool ??= new Map());

/** How long a kept SSH connection or REST client may sit idle (FLEET_SSH_IDLE_MS; 0 keeps none). */
export function idleMs(): number {
  const fromEnv = Number(process.env.FLEET_SSH_IDLE_MS);
  return Number.isFinite(fromEnv) && fromEnv >= 0 && process.env.FLEET_SSH_IDLE_MS !== "" ? fromEnv : DEFAULT_IDLE_MS;
}

const hostOf = (endpoint: ApplianceEndpoint) => `${endpoint.host}:${endpoint.sshPort}`;

/** Everything the connection was authenticated with: a re-pinned host key or a new login key never reuses it. */
function keyOf(endpoint: ApplianceEndpoint, credentials: ApplianceCredentials, trust: ApplianceTrust): string {
  const login = crypto.createHash("sha256").update(credentials.privateKey).digest("hex").slice(0, 16);
  return `${hostOf(endpoint)}|${credentials.sshUser}|${login}|${normalizeSshFingerprint(trust.sshHostKeyFingerprint)}`;
}

function takeIdle(key: string): SshSession | null {
  const list = idle.get(key);
  while (list?.length) {
    const entry = list.pop()!;
    clearTimeout(entry.timer);
    if (!entry.session.closed) return entry.session;
  }
  idle.delete(key);
  return null;
}

async function giveBack(key: string, session: SshSession): Promise<void> {
  const list = idle.get(key) ?? [];
  if (list.length >= MAX_IDLE_PER_KEY || idleMs() === 0) {
    await session.close().catch(() => {});
    return;
  }
  const entry: IdleSession = {
    session,
    timer: setTimeout(() => {
      const current = idle.get(key);
      const at = current?.indexOf(entry) ?? -1;
      if (at >= 0) current!.splice(at, 1);
      if (current?.length === 0) idle.delete(key);
      void session.close().catch(() => {});
    }, idleMs()),
  };
  // An idle connection must not keep a stopping process alive.
  entry.timer.unref();
  list.push(entry);
  idle.set(key, list);
}

/**
 * Runs `work` on a kept-open connection to the appliance when one is idle, else on a new one. The
 * connection goes back to the pool only when `work` succeeded and it is still open; any error
 * closes it, so a half-broken channel or a changed appliance is never handed to the next step.
 */
export async function withPooledSsh<T>(
  endpoint: ApplianceEndpoint,
  credentials: ApplianceCredentials,
  trust: ApplianceTrust,
  opts: OpenSshSessionOptions,
  work: (session: SshSession) => Promise<T>,
): Promise<T> {
  const key = keyOf(endpoint, credentials, trust);
  const session = takeIdle(key) ?? (await openSshSession(endpoint, credentials, trust, opts));
  let reusable = false;
  try {
    const result = await work(session);
    reusable = !session.closed && !opts.signal?.aborted;
    return result;
  } finally {
    if (reusable) await giveBack(key, session);
    else await session.close().catch(() => {});
  }
}

/** Closes the idle connections whose key passes `which`; answers how many. */
async function closeIdle(which: (key: string) => boolean): Promise<number> {
  const closing: Promise<void>[] = [];
  for (const [key, list] of idle) {
    if (!which(key)) continue;
    idle.delete(key);
    for (const entry of list) {
      clearTimeout(entry.timer);
      closing.push(entry.session.close().catch(() => {}));
    }
  }
  await Promise.all(closing);
  return closing.length;
}

/** Closes the idle connections to one appliance: before a reboot or a reset, whose old connections are dead. */
export async function dropSshSessions(endpoint: ApplianceEndpoint): Promise<number> {
  const prefix = `${hostOf(endpoint)}|`;
  return closeIdle((key) => key.startsWith(prefix));
}

/** Closes every idle connection (worker shutdown). */
export async function closeSshPool(): Promise<void> {
  await closeIdle(() => true);
}

/** Idle connections per appliance address, for tests and diagnostics. */
export function idleSshSessions(endpoint: ApplianceEndpoint): number {
  const prefix = `${hostOf(endpoint)}|`;
  let n = 0;
  for (const [key, list] of idle) if (key.startsWith(prefix)) n += list.filter((e) => !e.session.closed).length;
  return n;
}

// REST clients kept between the steps of one appliance, as ssh-pool.ts keeps SSH connections: each
// new client costs a TLS handshake and a login (a password grant). A client is kept for the same
// address, pinned certificate and account only, while idle for less than FLEET_SSH_IDLE_MS
// (default 30 s), and is dropped on any failed call, before a reboot, and at shutdown. Its kept-alive
// sockets were each checked against the pin when they connected.
import crypto from "node:crypto";
import { normalizeCertFingerprint } from "./fingerprints";
import { createRestClient, type RestClient } from "./rest-client";
import { idleMs } from "./ssh-pool";
import type { ApplianceCredentials, ApplianceEndpoint, ApplianceTrust } from "./types";

interface KeptClient {
  /** Its own connections; `shared` is what callers get. */
  raw: RestClient;
  shared: RestClient;
  timer: NodeJS.Timeout | null;
}

const holder = globalThis as unknown as { fleetRestPool?: Map<string, KeptClient> };
const kept: Map<string, KeptClient> = (holder.fleetRestPool ??= new Map());

function keyOf(endpoint: ApplianceEndpoint, credentials: ApplianceCredentials, trust: ApplianceTrust): string {
  const login = crypto.createHash("sha256").update(`${credentials.restUsername}\0${credentials.restPassword}`).digest("hex").slice(0, 16);
  return `${endpoint.restUrl}|${login}|${normalizeCertFingerprint(trust.restCertFingerprint)}`;
}

/** Out of the pool. `now`: its connections close at once; else once a caller still polling with it is done with it. */
function evict(key: string, entry: KeptClient, now = true): void {
  if (kept.get(key) === entry) kept.delete(key);
  if (entry.timer) clearTimeout(entry.timer);
  entry.timer = null;
  if (now) {
    entry.raw.close();
    return;
  }
  setTimeout(() => entry.raw.close(), idleMs()).unref();
}

function touch(key: string, entry: KeptClient): void {
  if (entry.timer) clearTimeout(entry.timer);
  entry.timer = setTimeout(() => evict(key, entry), idleMs());
  // A kept client must not keep a stopping process alive.
  entry.timer.unref();
}

/** Every call goes through: a failed one drops the client, so the next step starts afresh. */
function evictingOnFailure(key: string, entry: KeptClient, client: RestClient): RestClient {
  const wrapped: Record<string, unknown> = { host: client.host };
  for (const [name, value] of Object.entries(client)) {
    if (typeof value !== "function") continue;
    if (name === "close") {
      wrapped.close = () => {}; // shared: only the pool closes it
      continue;
    }
    wrapped[name] = (...args: unknown[]) => {
      if (kept.get(key) === entry) touch(key, entry);
      return (value as (...a: unknown[]) => Promise<unknown>)(...args).catch((e: unknown) => {
        evict(key, entry, false);
        throw e;
      });
    };
  }
  return wrapped as unknown as RestClient;
}

/** A REST client to the appliance shared by this process's steps; callers need not close it. */
export function sharedRestClient(endpoint: ApplianceEndpoint, credentials: ApplianceCredentials, trust: ApplianceTrust): RestClient {
  const key = keyOf(endpoint, credentials, trust);
  let entry = kept.get(key);
  if (!entry) {
    const raw = createRestClient(endpoint, credentials, trust);
    entry = { raw, shared: raw, timer: null };
    entry.shared = evictingOnFailure(key, entry, raw);
    kept.set(key, entry);
  }
  touch(key, entry);
  return entry.shared;
}

/** Drops the kept clients of one appliance (a reboot or reset ends their sessions). */
export function dropRestClients(endpoint: ApplianceEndpoint): number {
  let n = 0;
  for (const [key, entry] of kept) {
    if (!key.startsWith(`${endpoint.restUrl}|`)) continue;
    evict(key, entry);
    n++;
  }
  return n;
}

/** Drops every kept client (worker shutdown). */
export function closeRestPool(): void {
  for (const [key, entry] of kept) evict(key, entry);
}

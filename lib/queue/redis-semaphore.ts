// A counting semaphore in Redis shared by every worker process: a sorted set of holders scored by
// lease expiry (Redis's own clock). A holder renews its lease while it works; one that dies stops
// renewing and its slot frees itself when the lease runs out, so a killed worker leaks nothing.
import crypto from "node:crypto";
import type { Redis } from "ioredis";
import { AppError } from "@/lib/errors";

// Expired leases are dropped first, so only live holders count against the limit.
const ACQUIRE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local lease = tonumber(ARGV[3])
if redis.call('ZSCORE', KEYS[1], ARGV[1]) or redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[2]) then
  redis.call('ZADD', KEYS[1], now + lease, ARGV[1])
  redis.call('PEXPIRE', KEYS[1], lease * 2)
  return 1
end
return 0`;

// A lease that already expired is not renewed: its slot may have gone to someone else.
const RENEW = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if not redis.call('ZSCORE', KEYS[1], ARGV[1]) then return 0 end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]) * 2)
return 1`;

export interface SemaphoreOptions {
  /** How long a slot stays taken without renewal; renewed every third of it. Default 30 s. */
  leaseMs?: number;
  /** Poll interval while every slot is taken. Default 250 ms (plus jitter). */
  pollMs?: number;
  signal?: AbortSignal;
}

export interface SemaphoreLease {
  /** Aborted if the lease could not be renewed in time: the holder must stop using the slot. */
  readonly lost: AbortSignal;
  release(): Promise<void>;
}

/** Waits for one of `limit` slots under `key`, then keeps it leased until released. */
export async function acquireSemaphore(redis: Redis, key: string, limit: number, opts: SemaphoreOptions = {}): Promise<SemaphoreLease> {
  const leaseMs = opts.leaseMs ?? 30_000;
  const pollMs = opts.pollMs ?? 250;
  const token = crypto.randomUUID();
  for (;;) {
    if (opts.signal?.aborted) throw opts.signal.reason;
    if ((await redis.eval(ACQUIRE, 1, key, token, limit, leaseMs)) === 1) break;
    await sleep(pollMs + Math.random() * pollMs, opts.signal);
  }
  let renewedAt = Date.now();
  const lost = new AbortController();
  const timer = setInterval(() => {
    redis.eval(RENEW, 1, key, token, leaseMs).then(
      (ok) => {
        if (ok === 1) renewedAt = Date.now();
        else lost.abort(new AppError("timeout", `the upload slot's lease expired before it was renewed`));
      },
      () => {
        // Redis unreachable: the lease may lapse; past that point the slot is no longer ours.
        if (Date.now() - renewedAt > leaseMs) lost.abort(new AppError("timeout", "the upload slot's lease could not be renewed (Redis unreachable)"));
      },
    );
  }, leaseMs / 3);
  timer.unref?.();
  return {
    lost: lost.signal,
    async release() {
      clearInterval(timer);
      await redis.zrem(key, token).catch(() => undefined);
    },
  };
}

/** Holders currently counted under `key` (expired leases excluded). */
export async function countSemaphoreHolders(redis: Redis, key: string): Promise<number> {
  const [sec, micro] = await redis.time();
  return redis.zcount(key, Number(sec) * 1000 + Math.floor(Number(micro) / 1000), "+inf");
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

// Bytes per second shared by every process that names the same key: a GCRA token bucket in Redis
// (one number, the "theoretical arrival time"), on Redis's clock. A caller reserves bytes at once
// and is told how long to wait before sending them, so callers are served in the order they asked
// and the total never runs ahead of the rate by more than the burst.
import type { Redis } from "ioredis";
import { sleep } from "./redis-semaphore";

const RESERVE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if tat < now then tat = now end
local nextTat = tat + tonumber(ARGV[1]) * 1000 / tonumber(ARGV[2])
redis.call('SET', KEYS[1], string.format('%.3f', nextTat), 'PX', math.ceil(nextTat - now) + 60000)
local wait = nextTat - now - tonumber(ARGV[3])
if wait < 0 then return 0 end
return math.ceil(wait)`;

export interface RateLimiterOptions {
  /** Bytes allowed ahead of the rate (as milliseconds of it). Default 100 ms. */
  burstMs?: number;
  /** Bytes reserved from Redis at a time and handed out locally. Default rate/16, 16 KiB..1 MiB. */
  blockBytes?: number;
}

export interface RateLimiter {
  /** Resolves once `bytes` may be sent; rejects if the signal aborts first. */
  take(bytes: number, signal?: AbortSignal): Promise<void>;
}

/** A limiter over `key` at `bytesPerSecond`, for one upload; several uploads share the key. */
export function createRateLimiter(redis: Redis, key: string, bytesPerSecond: number, opts: RateLimiterOptions = {}): RateLimiter {
  const burstMs = opts.burstMs ?? 100;
  const block = opts.blockBytes ?? Math.min(1024 * 1024, Math.max(16 * 1024, Math.floor(bytesPerSecond / 16)));
  // Bytes already reserved in Redis and not yet used by this upload.
  let credit = 0;
  return {
    async take(bytes, signal) {
      if (credit >= bytes) {
        credit -= bytes;
        return;
      }
      const want = Math.max(block, bytes - credit);
      const waitMs = Number(await redis.eval(RESERVE, 1, key, want, bytesPerSecond, burstMs));
      credit += want - bytes;
      if (waitMs > 0) await sleep(waitMs, signal);
    },
  };
}

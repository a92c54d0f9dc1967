// The fleet-wide upload slots and the per-site byte budget against the real Redis: a dead holder's
// slot comes back when its lease runs out, a live one keeps it, and the budget is shared.
import crypto from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { acquireSemaphore, countSemaphoreHolders } from "./redis-semaphore";
import { createRateLimiter } from "./redis-rate-limiter";

const redis = new Redis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379");
const key = (what: string) => `fleet-test-${crypto.randomBytes(4).toString("hex")}:${what}`;

afterAll(async () => {
  await redis.quit();
});

describe("redis semaphore", () => {
  it("gives out at most `limit` slots and hands a released one to a waiter", async () => {
    const k = key("sem");
    const a = await acquireSemaphore(redis, k, 2, { pollMs: 20 });
    const b = await acquireSemaphore(redis, k, 2, { pollMs: 20 });
    let third = false;
    const waiting = acquireSemaphore(redis, k, 2, { pollMs: 20 }).then((lease) => {
      third = true;
      return lease;
    });
    await new Promise((r) => setTimeout(r, 200));
    expect(third).toBe(false);
    expect(await countSemaphoreHolders(redis, k)).toBe(2);
    await a.release();
    const c = await waiting;
    expect(await countSemaphoreHolders(redis, k)).toBe(2);
    await Promise.all([b.release(), c.release()]);
    expect(await countSemaphoreHolders(redis, k)).toBe(0);
  });

  it("frees the slot of a holder that died once its lease runs out, and keeps a live holder's", async () => {
    const k = key("sem");
    // A worker that took the slot and was killed: it never renews nor releases.
    const [sec, micro] = await redis.time();
    await redis.zadd(k, Number(sec) * 1000 + Math.floor(Number(micro) / 1000) + 400, "killed-worker");
    const started = Date.now();
    const live = await acquireSemaphore(redis, k, 1, { pollMs: 20, leaseMs: 300 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    // The live holder renews every 100 ms: after three leases it still holds the only slot.
    await new Promise((r) => setTimeout(r, 900));
    expect(live.lost.aborted).toBe(false);
    const signal = AbortSignal.timeout(200);
    await expect(acquireSemaphore(redis, k, 1, { pollMs: 20, signal })).rejects.toThrow();
    await live.release();
  });
});

describe("redis rate limiter", () => {
  it("holds two limiters on one key to the rate together", async () => {
    const k = key("bw");
    const rate = 400_000;
    const started = Date.now();
    const pump = async () => {
      const limiter = createRateLimiter(redis, k, rate);
      for (let sent = 0; sent < 200_000; sent += 32 * 1024) await limiter.take(32 * 1024);
    };
    await Promise.all([pump(), pump()]);
    const seconds = (Date.now() - started) / 1000;
    // 14 takes of 32 KiB = 458,752 bytes; less the 100 ms burst, that is at least ~1 s at 400 kB/s.
    expect(seconds).toBeGreaterThan(0.9);
    expect(seconds).toBeLessThan(2.5);
  });
});

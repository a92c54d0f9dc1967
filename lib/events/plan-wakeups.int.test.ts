// The process's one Redis subscriber: every channel asked for is really subscribed, also when it is
// asked for while the connection is still being made, and in the order asked when a channel is
// left and taken again at once.
import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Redis } from "ioredis";
import { createTestEnv, type TestEnv } from "@/lib/testing/test-env";
import { createRedis } from "@/lib/queue/connection";
import { WakeUpHub } from "@/lib/events/plan-wakeups";

let env: TestEnv;
let publisher: Redis;
const opened: Redis[] = [];

function freshHub(): { hub: WakeUpHub; redis: Redis } {
  const redis = createRedis("subscriber");
  opened.push(redis);
  return { hub: new WakeUpHub(redis), redis };
}

/** Publishes until the listener has heard it (a subscription may still be on its way), at most 5 s. */
async function heard(channel: string, got: () => number): Promise<boolean> {
  for (let i = 0; i < 50 && got() === 0; i++) {
    await publisher.publish(channel, "1");
    await new Promise((r) => setTimeout(r, 100));
  }
  return got() > 0;
}

beforeAll(async () => {
  env = await createTestEnv("wakeups");
  publisher = createRedis("publisher");
});

afterAll(async () => {
  for (const r of [...opened, publisher]) r?.disconnect();
  await env?.cleanup();
});

describe("plan wake-ups", () => {
  it("subscribes a channel asked for during the connection's handshake as well as one asked for before it", async () => {
    const { hub, redis } = freshHub();
    const [a, b] = [`wake-${crypto.randomUUID()}`, `wake-${crypto.randomUUID()}`];
    let heardA = 0;
    let heardB = 0;
    const listening = [hub.listen(a, () => heardA++)];
    // The moment ioredis has a socket but has not finished its ready check.
    await new Promise<void>((resolve) => redis.once("connect", () => { listening.push(hub.listen(b, () => heardB++)); resolve(); }));
    await Promise.all(listening);
    expect(await heard(a, () => heardA)).toBe(true);
    expect(await heard(b, () => heardB)).toBe(true);
  });

  it("fans one message out to every listener of the channel, and keeps a channel left and taken again at once", async () => {
    const { hub } = freshHub();
    const channel = `wake-${crypto.randomUUID()}`;
    const calls = [0, 0];
    const stops = await Promise.all([hub.listen(channel, () => calls[0]!++), hub.listen(channel, () => calls[1]!++)]);
    expect(hub.channelNames()).toEqual([channel]);
    expect(await heard(channel, () => Math.min(...calls))).toBe(true);
    stops.forEach((stop) => stop());
    expect(hub.channelNames()).toEqual([]);
    // UNSUBSCRIBE then SUBSCRIBE on the wire, in that order: the channel is still heard.
    let again = 0;
    await hub.listen(channel, () => again++);
    expect(await heard(channel, () => again)).toBe(true);
  });
});

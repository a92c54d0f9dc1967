// The live feed replays from Postgres after Last-Event-ID, then follows new events as they come.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestEnv, type TestEnv } from "@/lib/testing/test-env";
import { createBarePlan } from "@/lib/testing/bare-plan";
import type { Db } from "@/lib/db/client";
import { appendPlanEvent } from "@/lib/events/plan-events";
import { watchPlanEvents } from "@/lib/events/watch-plan";
import { planWakeUps } from "@/lib/events/plan-wakeups";
import { planChannel } from "@/lib/events/plan-events";
import { openFeeds } from "@/lib/events/plan-feed";
import { createRedis } from "@/lib/queue/connection";

let env: TestEnv;
let planId: string;

async function readEvents(stream: ReadableStream<Uint8Array>, count: number, timeoutMs = 10_000): Promise<{ id: number; type: string }[]> {
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  let text = "";
  const found: { id: number; type: string }[] = [];
  const end = Date.now() + timeoutMs;
  while (found.length < count && Date.now() < end) {
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
    const blocks = text.split("\n\n");
    text = blocks.pop() ?? "";
    for (const block of blocks) {
      const id = /^id: (\d+)$/m.exec(block);
      const data = /^data: (.*)$/m.exec(block);
      if (id && data) found.push({ id: Number(id[1]), type: (JSON.parse(data[1]!) as { type: string }).type });
    }
  }
  reader.releaseLock();
  return found;
}

beforeAll(async () => {
  env = await createTestEnv("sse");
  planId = await createBarePlan(env.db);
});

afterAll(async () => env?.cleanup());

describe("plan event stream", () => {
  it("replays every event after Last-Event-ID in order, then follows live ones", async () => {
    for (const type of ["plan-state", "step-state", "step-log"] as const) await appendPlanEvent(env.db, planId, { type, data: {} });
    const all = new AbortController();
    expect(await readEvents(watchPlanEvents(env.db, planId, 0, all.signal, { pollMs: 100 }), 3)).toEqual([
      { id: 1, type: "plan-state" }, { id: 2, type: "step-state" }, { id: 3, type: "step-log" },
    ]);
    all.abort();

    const resumed = new AbortController();
    const stream = watchPlanEvents(env.db, planId, 2, resumed.signal, { pollMs: 5_000 });
    const reading = readEvents(stream, 2);
    await new Promise((r) => setTimeout(r, 300));
    await appendPlanEvent(env.db, planId, { type: "warning", data: { text: "database lock" } });
    expect(await reading).toEqual([{ id: 3, type: "step-log" }, { id: 4, type: "warning" }]);
    resumed.abort();
  });

  it("ends with a shutdown event and a short retry when the server stops, and a reconnect with Last-Event-ID resumes without a gap", async () => {
    const viewer = new AbortController();
    const drain = new AbortController();
    const stream = watchPlanEvents(env.db, planId, 0, viewer.signal, { pollMs: 5_000, drain: drain.signal });
    const reader = stream.getReader();
    const decoder = new TextDecoder();
    let text = "";
    while (!/^id: 4$/m.test(text)) text += decoder.decode((await reader.read()).value, { stream: true });
    const started = Date.now();
    drain.abort();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
    // The stream ends at once, not at the next poll five seconds later.
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(text).toMatch(/retry: 1000\nevent: shutdown\ndata: \{"reason":"[^"]*restarting[^"]*"\}\n\n$/);
    const lastId = Math.max(...[...text.matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1])));
    await appendPlanEvent(env.db, planId, { type: "step-log", data: { line: "written while no server listened" } });
    const again = new AbortController();
    expect(await readEvents(watchPlanEvents(env.db, planId, lastId, again.signal, { pollMs: 100 }), 1)).toEqual([{ id: 5, type: "step-log" }]);
    again.abort();
  });

  it("reads again at once when a wake-up comes while it is reading, instead of sleeping until the next poll", async () => {
    // The real database, each read held 300 ms after its answer: the wake-up of an event written
    // meanwhile arrives while the stream is busy, which is the moment a wake-up used to be lost.
    const slowDb = new Proxy(env.db, {
      get: (target, prop) => prop === "planEvent"
        ? { findMany: async (args: Parameters<Db["planEvent"]["findMany"]>[0]) => { const rows = await target.planEvent.findMany(args); await new Promise((r) => setTimeout(r, 300)); return rows; } }
        : Reflect.get(target, prop),
    }) as Db;
    const viewer = new AbortController();
    // A minute's poll: only the wake-up can bring the event within the ten seconds readEvents waits.
    const reading = readEvents(watchPlanEvents(slowDb, planId, 5, viewer.signal, { pollMs: 60_000 }), 1);
    await new Promise((r) => setTimeout(r, 100));
    await appendPlanEvent(env.db, planId, { type: "step-log", data: { line: "written while the stream reads" } });
    // Ten seconds is far from the minute's poll and far above a wake-up's few milliseconds.
    const notYet = new Promise((r) => setTimeout(() => r("nothing before the next poll"), 10_000));
    expect(await Promise.race([reading, notYet])).toEqual([{ id: 6, type: "step-log" }]);
    viewer.abort();
  });

  it("shares one Redis subscription among the viewers of a plan and drops it when the last one leaves", async () => {
    const channel = planChannel(planId);
    const viewers = [new AbortController(), new AbortController()];
    const streams = viewers.map((v) => watchPlanEvents(env.db, planId, 6, v.signal, { pollMs: 60_000 }));
    const readings = streams.map((s) => readEvents(s, 1));
    await new Promise((r) => setTimeout(r, 300));
    expect(planWakeUps().channelNames().filter((c) => c === channel)).toHaveLength(1);
    await appendPlanEvent(env.db, planId, { type: "warning", data: { text: "both see it" } });
    expect(await Promise.all(readings)).toEqual([[{ id: 7, type: "warning" }], [{ id: 7, type: "warning" }]]);
    for (const v of viewers) v.abort();
    await expect.poll(() => planWakeUps().channelNames().includes(channel)).toBe(false);
  });

  it("hands an announced event to every viewer of the plan without one read of Postgres per viewer", async () => {
    let reads = 0;
    const countingDb = new Proxy(env.db, {
      get: (target, prop) => prop === "planEvent"
        ? { findMany: (args: Parameters<Db["planEvent"]["findMany"]>[0]) => { reads++; return target.planEvent.findMany(args); } }
        : Reflect.get(target, prop),
    }) as Db;
    const { lastEventSeq } = await env.db.upgradePlan.findUniqueOrThrow({ where: { id: planId } });
    const viewers = Array.from({ length: 5 }, () => new AbortController());
    const readings = viewers.map((v) => readEvents(watchPlanEvents(countingDb, planId, lastEventSeq, v.signal, { pollMs: 60_000 }), 1));
    // Each viewer's replay is its own read; after those, nothing is read until an event comes.
    await expect.poll(() => reads).toBe(viewers.length);
    await appendPlanEvent(env.db, planId, { type: "step-log", data: { line: "everyone sees this" } });
    expect(await Promise.all(readings)).toEqual(viewers.map(() => [{ id: lastEventSeq + 1, type: "step-log" }]));
    expect(reads).toBe(viewers.length);
    for (const v of viewers) v.abort();
    await expect.poll(() => openFeeds(countingDb)).toEqual([]);
  });

  it("fills a gap from Postgres when an event's announcement was lost, and sends the events in order", async () => {
    const { lastEventSeq } = await env.db.upgradePlan.findUniqueOrThrow({ where: { id: planId } });
    const viewer = new AbortController();
    const reading = readEvents(watchPlanEvents(env.db, planId, lastEventSeq, viewer.signal, { pollMs: 60_000 }), 2);
    await new Promise((r) => setTimeout(r, 300));
    // Written as appendPlanEvent writes it, but never announced: the next announcement skips a number.
    await env.db.$transaction([
      env.db.upgradePlan.update({ where: { id: planId }, data: { lastEventSeq: { increment: 1 } } }),
      env.db.planEvent.create({ data: { planId, seq: lastEventSeq + 1, type: "step-state", data: { state: "running" } } }),
    ]);
    await appendPlanEvent(env.db, planId, { type: "step-log", data: { line: "announced" } });
    expect(await reading).toEqual([{ id: lastEventSeq + 1, type: "step-state" }, { id: lastEventSeq + 2, type: "step-log" }]);
    viewer.abort();
  });

  it("never sends an announced event that skips a number and is not in Postgres", async () => {
    const { lastEventSeq } = await env.db.upgradePlan.findUniqueOrThrow({ where: { id: planId } });
    const viewer = new AbortController();
    const reading = readEvents(watchPlanEvents(env.db, planId, lastEventSeq, viewer.signal, { pollMs: 60_000 }), 1);
    await new Promise((r) => setTimeout(r, 300));
    const publisher = createRedis("publisher");
    const forged = { seq: lastEventSeq + 2, type: "warning", stepKey: null, data: { text: "not stored" }, at: new Date().toISOString() };
    await publisher.publish(planChannel(planId), JSON.stringify({ seq: forged.seq, events: [forged] }));
    publisher.disconnect();
    await appendPlanEvent(env.db, planId, { type: "step-log", data: { line: "stored" } });
    expect(await reading).toEqual([{ id: lastEventSeq + 1, type: "step-log" }]);
    viewer.abort();
  });
});

// Plan events are numbered per plan in one statement: batches written at the same moment never share
// or skip a number, what is written reads back as it was, and a plan that is gone is named. The
// announcement on Redis carries the rows as Postgres stored them, or only the number when large.
import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestEnv, type TestEnv } from "@/lib/testing/test-env";
import { createBarePlan } from "@/lib/testing/bare-plan";
import type { Redis } from "ioredis";
import { createRedis } from "@/lib/queue/connection";
import { appendPlanEvent, appendPlanEvents, MAX_ANNOUNCED_BYTES, parseAnnouncement, planChannel, readPlanEvents, toWire } from "@/lib/events/plan-events";

let env: TestEnv;
let planId: string;

beforeAll(async () => {
  env = await createTestEnv("plan_events");
  planId = await createBarePlan(env.db);
});

afterAll(async () => env?.cleanup());

/** Runs `write` with a subscriber on the plan's channel and answers the messages heard meanwhile. */
async function announcedDuring(write: () => Promise<unknown>): Promise<string[]> {
  const sub: Redis = createRedis("subscriber");
  try {
    const heard: string[] = [];
    sub.on("message", (_channel: string, message: string) => heard.push(message));
    await sub.subscribe(planChannel(planId));
    await write();
    await expect.poll(() => heard.length).toBeGreaterThan(0);
    return heard;
  } finally {
    sub.disconnect();
  }
}

describe("appending plan events", () => {
  it("numbers concurrent batches without a gap or a repeat, each batch in its own order", async () => {
    const batches = Array.from({ length: 12 }, (_, b) => Array.from({ length: 1 + (b % 4) }, (_, i) => ({ type: "step-log" as const, stepKey: `s${b}`, data: { line: `${b}.${i}` } })));
    const lasts = await Promise.all(batches.map((events) => appendPlanEvents(env.db, planId, events)));
    const total = batches.reduce((n, b) => n + b.length, 0);
    const rows = await readPlanEvents(env.db, planId, 0);
    expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    expect((await env.db.upgradePlan.findUniqueOrThrow({ where: { id: planId } })).lastEventSeq).toBe(total);
    // Each call answers the number of its own last event, and its events run up to it in order.
    batches.forEach((events, b) => {
      const own = rows.filter((r) => r.stepKey === `s${b}`);
      expect(own.map((r) => (r.data as { line: string }).line)).toEqual(events.map((e) => e.data.line));
      expect(own.at(-1)!.seq).toBe(lasts[b]);
      expect(own.map((r) => r.seq)).toEqual(Array.from({ length: events.length }, (_, i) => lasts[b]! - events.length + 1 + i));
    });
  });

  it("keeps what it was given: no step, quotes, backslashes, braces, unicode, nesting; stamped with the writer's time", async () => {
    const before = Date.now();
    const data = { line: 'a "quoted" \\ line, {braces}, ünïcødé', nested: { list: [1, null, "x"] } };
    const seq = await appendPlanEvent(env.db, planId, { type: "warning", data });
    const [row] = await readPlanEvents(env.db, planId, seq - 1);
    expect(row).toMatchObject({ seq, type: "warning", stepKey: null, data });
    expect(row!.createdAt.getTime()).toBeGreaterThanOrEqual(before - 1);
    expect(row!.createdAt.getTime()).toBeLessThanOrEqual(Date.now());
  });

  it("names a plan that does not exist and writes nothing", async () => {
    const missing = crypto.randomUUID();
    await expect(appendPlanEvent(env.db, missing, { type: "warning", data: {} })).rejects.toThrow(`plan ${missing} does not exist`);
    expect(await env.db.planEvent.count({ where: { planId: missing } })).toBe(0);
  });

  it("announces the rows it wrote exactly as a read from Postgres gives them, so a viewer gets the same text either way", async () => {
    const events = [
      { type: "step-log" as const, stepKey: "upload", data: { line: "first", zeta: 1, alpha: { b: 2, a: 1 } } },
      { type: "step-progress" as const, stepKey: "upload", data: { sent: 10, total: 20 } },
    ];
    let seq = 0;
    const [message] = await announcedDuring(async () => { seq = await appendPlanEvents(env.db, planId, events); });
    const note = parseAnnouncement(message!);
    const stored = (await readPlanEvents(env.db, planId, seq - 2)).map(toWire);
    expect(note?.seq).toBe(seq);
    expect(note?.events?.map((e) => e.seq)).toEqual([seq - 1, seq]);
    expect(JSON.stringify(note?.events)).toBe(JSON.stringify(stored));
  });

  it("announces only the last number when the rows are too large to carry, and listeners read them from Postgres", async () => {
    const line = "x".repeat(1024);
    const events = Array.from({ length: Math.ceil(MAX_ANNOUNCED_BYTES / 1024) + 1 }, () => ({ type: "step-log" as const, data: { line } }));
    let seq = 0;
    const [message] = await announcedDuring(async () => { seq = await appendPlanEvents(env.db, planId, events); });
    expect(message).toBe(String(seq));
    expect(parseAnnouncement(message!)).toEqual({ seq, events: null });
  });
});

// Plan events are numbered per plan in one statement: batches written at the same moment never share
// or skip a number, what is written reads back as it was, and a plan that is gone is named.
import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestEnv, type TestEnv } from "@/lib/testing/test-env";
import { appendPlanEvent, appendPlanEvents, readPlanEvents } from "@/lib/events/plan-events";

let env: TestEnv;
let planId: string;

beforeAll(async () => {
  env = await createTestEnv("plan_events");
  const identity = await env.db.sshIdentity.create({ data: { name: "k", publicKey: "x", fingerprint: "x", encryptedPrivateKey: "x", createdBy: "t" } });
  const appliance = await env.db.appliance.create({ data: { name: "a", host: "127.0.0.1", restUrl: "https://127.0.0.1:1", sshIdentityId: identity.id, restUsername: "u", restPasswordEncrypted: "x", sshHostKeyFingerprint: "x", restCertFingerprint: "x", restCertPem: "x" } });
  const plan = await env.db.upgradePlan.create({ data: { method: "standalone", applianceId: appliance.id, fromVersion: "2.10.0", targetVersion: "2.11.0", hops: [], state: "running", createdBy: "t" } });
  planId = plan.id;
});

afterAll(async () => env?.cleanup());

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
});

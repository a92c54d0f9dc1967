// A step's reports to Postgres: progress coalesced to about one write a second without losing the
// last value, and the last log lines handed to the step's completion instead of written apart.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startConsoleFixture, type ConsoleFixture } from "@/lib/testing/console-fixture";
import { startEnrolledAppliance, type EnrolledSimulator } from "@/lib/testing/simulated-appliance";
import { createPlan } from "@/lib/plans/create-plan";
import { createStepContext } from "./step-context";

let f: ConsoleFixture;
let enrolled: EnrolledSimulator;
beforeAll(async () => {
  f = await startConsoleFixture("step-context", { worker: false, archives: ["2.11.0+13003"] });
  enrolled = await startEnrolledAppliance(f.env.db, f.env.dataDir, { name: "cm-ctx", version: "2.10.0+12807" });
}, 120_000);
afterAll(async () => {
  await enrolled?.sim.stop();
  await f?.stop();
});

async function uploadStep() {
  const plan = await createPlan(f.env.db, f.actor, { applianceId: enrolled.applianceId, targetVersion: "2.11.0+13003" });
  const step = await f.env.db.step.findFirstOrThrow({ where: { planId: plan.id, kind: "upload-archive" } });
  return { plan, step };
}

const progressEvents = (planId: string, stepKey: string) => f.env.db.planEvent.findMany({ where: { planId, stepKey, type: "step-progress" }, orderBy: { seq: "asc" } });

describe("a step's progress and log", () => {
  it("coalesces a burst of progress reports, and the latest one is what the step row and the last event show", async () => {
    const { plan, step } = await uploadStep();
    const ctx = createStepContext(f.env.db, plan, step, new AbortController().signal);
    for (let sent = 1; sent <= 50; sent++) ctx.progress({ sent, total: 100 });
    await ctx.flush();
    const events = await progressEvents(plan.id, step.key);
    expect(events.length).toBeLessThan(50);
    expect(events.at(-1)!.data).toEqual({ sent: 50, total: 100 });
    expect((await f.env.db.step.findUniqueOrThrow({ where: { id: step.id } })).progress).toEqual({ sent: 50, total: 100 });
  });

  it("writes the final report (done) at once, even right after another", async () => {
    const { plan, step } = await uploadStep();
    const ctx = createStepContext(f.env.db, plan, step, new AbortController().signal);
    ctx.progress({ sent: 10, total: 100 });
    ctx.progress({ sent: 100, total: 100, done: true });
    await ctx.flush();
    const events = await progressEvents(plan.id, step.key);
    expect(events.map((e) => e.data)).toEqual([{ sent: 10, total: 100 }, { sent: 100, total: 100, done: true }]);
  });

  it("hands the unwritten log lines and output tail to the completion, after the announced events", async () => {
    const { plan, step } = await uploadStep();
    const ctx = createStepContext(f.env.db, plan, step, new AbortController().signal);
    ctx.announce({ type: "step-state", stepKey: step.key, data: { state: "running" } });
    ctx.log("first line");
    ctx.log("second line");
    const last = await ctx.drain();
    expect(last.events.map((e) => e.data)).toEqual([{ line: "first line" }, { line: "second line" }]);
    expect(last.data.output).toBe("first line\nsecond line\n");
    const written = await f.env.db.planEvent.findMany({ where: { planId: plan.id, stepKey: step.key }, orderBy: { seq: "asc" } });
    expect(written.map((e) => e.type)).toEqual(["step-state"]);
  });
});

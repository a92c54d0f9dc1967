// A job for a step whose dependencies are not done (a stray or duplicated job, a bug elsewhere)
// never runs it: the claim is handed back untouched and the appliance sees nothing.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startConsoleFixture, type ConsoleFixture } from "@/lib/testing/console-fixture";
import { startEnrolledAppliance, type EnrolledSimulator } from "@/lib/testing/simulated-appliance";
import { createPlan } from "@/lib/plans/create-plan";
import { confirmBackup } from "@/lib/plans/confirm-backup";
import { launchPlan } from "@/lib/plans/launch-plan";
import { runStepJob } from "./run-step";

let f: ConsoleFixture;
let enrolled: EnrolledSimulator;
beforeAll(async () => {
  f = await startConsoleFixture("claim", { worker: false, archives: ["2.11.0+13003"] });
  enrolled = await startEnrolledAppliance(f.env.db, f.env.dataDir, { name: "cm-claim", version: "2.10.0+12807" });
}, 120_000);
afterAll(async () => {
  await enrolled?.sim.stop();
  await f?.stop();
});

describe("claiming a step", () => {
  it("hands back a step whose dependencies are not done: ks_upgrade.sh never runs", async () => {
    const plan = await createPlan(f.env.db, f.actor, { applianceId: enrolled.applianceId, targetVersion: "2.11.0+13003" });
    await confirmBackup(f.env.db, f.actor, plan.id);
    await launchPlan(f.env.db, f.actor, plan.id);
    const upgrade = await f.env.db.step.findFirstOrThrow({ where: { planId: plan.id, kind: "run-upgrade" } });
    expect(upgrade.dependsOn.length).toBeGreaterThan(0);
    await runStepJob(f.env.db, { planId: plan.id, stepId: upgrade.id, attempt: 0 });
    const after = await f.env.db.step.findUniqueOrThrow({ where: { id: upgrade.id } });
    expect(after).toMatchObject({ state: "pending", attempts: 0, startedAt: null, leaseUntil: null });
    expect(enrolled.sim.record.filter((r) => r.what.includes("ks_upgrade.sh"))).toHaveLength(0);
  });
});

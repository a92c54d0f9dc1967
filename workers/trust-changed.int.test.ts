// A host key that changes between steps stops all work on the appliance, raises an alert, and
// only an admin's acceptance of the new identity (audited) lets work go on.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startConsoleFixture, type ConsoleFixture } from "@/lib/testing/console-fixture";
import { startEnrolledAppliance, type EnrolledSimulator } from "@/lib/testing/simulated-appliance";
import { waitForPlanState } from "@/lib/testing/in-process-worker";
import { createPlan } from "@/lib/plans/create-plan";
import { confirmBackup } from "@/lib/plans/confirm-backup";
import { launchPlan } from "@/lib/plans/launch-plan";
import { resumePlan } from "@/lib/plans/control-plan";
import { acceptNewTrust } from "@/lib/fleet/trust";
import { probeForEnrolment } from "@/lib/fleet/enrol-appliance";

let f: ConsoleFixture;
let cm: EnrolledSimulator;

beforeAll(async () => {
  f = await startConsoleFixture("trust", { deadlineScale: 0.01, archives: ["2.11.0+13003"] });
  cm = await startEnrolledAppliance(f.env.db, f.env.dataDir, { name: "cm-trust", version: "2.10.0+12807" });
});
afterAll(async () => {
  await cm?.sim.stop();
  await f?.stop();
});

describe("a changed appliance identity", () => {
  it("stops the plan when the host key changes across the reboot, alerts, and resumes only after an admin accepts the new key", async () => {
    const plan = await createPlan(f.env.db, f.actor, { applianceId: cm.applianceId, targetVersion: "2.11.0+13003" });
    await confirmBackup(f.env.db, f.actor, plan.id);
    const pinned = cm.sim.sshHostKeyFingerprint;
    await cm.sim.setFaults({ hostKeyChanged: true });
    await launchPlan(f.env.db, f.actor, plan.id);
    expect(await waitForPlanState(f.env.db, plan.id, ["failed", "succeeded"], 90_000)).toBe("failed");
    const failed = await f.env.db.step.findFirstOrThrow({ where: { planId: plan.id, state: "failed" } });
    expect(failed.kind).toBe("wait-return");
    expect(failed.outcome).toContain(pinned);
    const appliance = await f.env.db.appliance.findUniqueOrThrow({ where: { id: cm.applianceId } });
    expect(appliance.status).toBe("trust-changed");
    expect(await f.env.db.auditEvent.count({ where: { action: "alert-host-key-changed", subjectId: cm.applianceId } })).toBe(1);
    await expect(resumePlan(f.env.db, f.actor, plan.id)).rejects.toThrow(/admin compares and accepts/);

    const seen = await probeForEnrolment({ host: cm.sim.host, sshPort: cm.sim.sshPort, restUrl: cm.sim.restUrl });
    expect(seen.sshHostKeyFingerprint).not.toBe(pinned);
    await expect(acceptNewTrust(f.env.db, f.actor, cm.applianceId, { acceptedSshHostKeyFingerprint: pinned, acceptedRestCertFingerprint: seen.restCertFingerprint })).rejects.toThrow(/not what you accepted/);
    await acceptNewTrust(f.env.db, f.actor, cm.applianceId, { acceptedSshHostKeyFingerprint: seen.sshHostKeyFingerprint, acceptedRestCertFingerprint: seen.restCertFingerprint });
    const accepted = await f.env.db.auditEvent.findFirstOrThrow({ where: { action: "appliance-identity-accepted" } });
    expect(accepted.data).toMatchObject({ sshBefore: pinned, sshAfter: seen.sshHostKeyFingerprint });

    await resumePlan(f.env.db, f.actor, plan.id);
    expect(await waitForPlanState(f.env.db, plan.id, ["failed", "succeeded"], 90_000)).toBe("succeeded");
    expect(cm.sim.record.filter((r) => r.what.includes("ks_upgrade.sh"))).toHaveLength(1);
  });
});

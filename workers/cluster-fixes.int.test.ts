// The seed's remedies offered as fixes and applied only when an operator asks [O6][F5][F8].
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestEnv, type TestEnv } from "@/lib/testing/test-env";
import { startEnrolledCluster, type EnrolledCluster } from "@/lib/testing/enrolled-cluster";
import { addVendorKey } from "@/lib/archives/vendor-keys";
import { receiveArchive } from "@/lib/archives/receive-archive";
import { createPlan } from "@/lib/plans/create-plan";
import { applyFix } from "@/lib/plans/apply-fix";
import { makeSignedArchive, keyPath } from "@/simulator/archives";
import type { Actor } from "@/lib/audit/append-audit-event";

let env: TestEnv;
let actor: Actor;
let c: EnrolledCluster;

beforeAll(async () => {
  env = await createTestEnv("fixes", { FLEET_DEADLINE_SCALE: "0.02" });
  const admin = await env.db.user.create({ data: { email: "admin@test.local", name: "Admin", role: "admin" } });
  actor = { type: "user", id: admin.id, name: admin.email };
  await addVendorKey(env.db, actor, fs.readFileSync(keyPath("test-vendor", "pub"), "utf8"));
  const dir = path.join(env.dataDir, "made");
  fs.mkdirSync(dir, { recursive: true });
  const made = await makeSignedArchive({ dir, version: "2.11.0+13003", sizeBytes: 64 * 1024 });
  await receiveArchive(env.db, actor, { fileName: made.fileName, body: fs.createReadStream(made.path) });
  c = await startEnrolledCluster(env.db, env.dataDir, "cm-fix");
});

afterAll(async () => {
  await c?.fleet.stop();
  await env?.cleanup();
});

describe("fixes for failed prechecks", () => {
  it("[O6][F5] offers to remove a node that is down, removes it only when asked, and closes the stale plan", async () => {
    const gone = c.nodes[2]!;
    await gone.sim.setFaults({ down: true });
    const plan = await createPlan(env.db, actor, { clusterId: c.clusterId, targetVersion: "2.11.0+13003", method: "online-rolling" });
    const status = await env.db.precheck.findFirstOrThrow({ where: { planId: plan.id, checkId: "node-status", applianceId: gone.applianceId } });
    expect(status.status).toBe("fail");
    expect(status.remedy).toMatch(/rejoin/i);
    expect((await env.db.upgradePlan.findUniqueOrThrow({ where: { id: plan.id } })).state).toBe("draft");

    await applyFix(env.db, actor, plan.id, { fix: "remove-obsolete-node", applianceId: gone.applianceId });
    const closed = await env.db.upgradePlan.findUniqueOrThrow({ where: { id: plan.id } });
    expect(closed.state).toBe("aborted");
    expect(closed.stateReason).toMatch(/removed from the cluster as obsolete/);
    expect((await env.db.appliance.findUniqueOrThrow({ where: { id: gone.applianceId } })).clusterId).toBeNull();

    const again = await createPlan(env.db, actor, { clusterId: c.clusterId, targetVersion: "2.11.0+13003", method: "online-rolling" });
    expect((again.nodes as unknown[]).length).toBe(2);
    const failing = await env.db.precheck.findMany({ where: { planId: again.id, status: "fail", NOT: { checkId: "backup" } } });
    expect(failing.map((f) => `${f.checkId}: ${f.summary}`)).toEqual([]);
  });

  it("refuses to remove a ready node", async () => {
    const plan = await createPlan(env.db, actor, { clusterId: c.clusterId, targetVersion: "2.11.0+13003", method: "online-rolling" });
    await expect(applyFix(env.db, actor, plan.id, { fix: "remove-obsolete-node", applianceId: c.nodes[1]!.applianceId })).rejects.toThrow(/is ready/);
  });
});

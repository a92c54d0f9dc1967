// Every refusal the offline prepare step of the vendor procedure gives [F8], and the readiness the
// online method demands [O6][F5], reproduced by a simulator fault on an enrolled 3-node cluster:
// the precheck fails for the right node with the seed's remedy, and the plan cannot launch.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startConsoleFixture, type ConsoleFixture } from "@/lib/testing/console-fixture";
import { startEnrolledCluster, type EnrolledCluster } from "@/lib/testing/enrolled-cluster";
import { createPlan } from "@/lib/plans/create-plan";
import { confirmBackup } from "@/lib/plans/confirm-backup";
import { launchPlan } from "@/lib/plans/launch-plan";
import { applyFix } from "@/lib/plans/apply-fix";
import { runPrechecks } from "@/lib/plans/run-prechecks";
import { describePlanOptions } from "@/lib/plans/plan-options";
import { apiOf, eventually, joinOverRest, nodeList } from "@/simulator/testing/cluster-harness";
import type { SimulatedAppliance } from "@/simulator/appliance";

const GiB = 1024 ** 3;
const V10 = "2.10.0+12807";
const V11 = "2.11.0+13003";
let f: ConsoleFixture;
const clusters: EnrolledCluster[] = [];

async function cluster(name: string, opts: Parameters<typeof startEnrolledCluster>[3] = {}) {
  const c = await startEnrolledCluster(f.env.db, f.env.dataDir, name, opts);
  clusters.push(c);
  return c;
}

/** The stored prechecks of a plan with one id, by appliance. */
async function checks(planId: string, checkId: string) {
  const rows = await f.env.db.precheck.findMany({ where: { planId, checkId } });
  return { rows, of: (applianceId: string) => rows.find((r) => r.applianceId === applianceId) };
}

/** The code under which `subject` appears in the node list `viewer` answers. */
async function statusCode(viewer: SimulatedAppliance, subject: SimulatedAppliance) {
  return (await nodeList(apiOf(viewer))).find((n) => n.host === subject.host)?.status.code;
}

const becomes = (viewer: SimulatedAppliance, subject: SimulatedAppliance, code: string) =>
  eventually(`${subject.name} ${code}`, async () => ((await statusCode(viewer, subject)) === code ? true : undefined));

// No worker: nothing here may get as far as a step.
beforeAll(async () => {
  f = await startConsoleFixture("cluster_refusals", { archives: [V11], worker: false });
});

afterAll(async () => {
  await Promise.all(clusters.map((c) => c.fleet.stop()));
  await f?.stop();
});

describe("cluster refusals", () => {
  it("[F8][O6][F5] a node stuck joining fails its node-status precheck with the wait-for-the-join remedy, and the plan cannot launch", async () => {
    const c = await cluster("rf-join");
    const [first, , third] = c.nodes.map((n) => n.sim);
    // What an admin does outside the console: remove the third node, delete its stale configuration, join it again.
    const entry = apiOf(first!);
    const id = (await nodeList(entry)).find((n) => n.host === third!.host)!.nodeID;
    expect((await entry.del(`/api/v1/nodes/${id}`)).status).toBe(204);
    await eventually("node 3 gone", async () => ((await nodeList(entry)).length === 2 ? true : undefined));
    expect((await apiOf(third!).del("/api/v1/cluster")).status).toBe(204);
    await third!.setFaults({ stuckJoining: true });
    expect((await joinOverRest(third!, first!)).status).toBe(200);
    await becomes(first!, third!, "c");

    const plan = await createPlan(f.env.db, f.actor, { clusterId: c.clusterId, targetVersion: V11, method: "online-rolling" });
    await confirmBackup(f.env.db, f.actor, plan.id);
    const status = await checks(plan.id, "node-status");
    expect(status.rows).toHaveLength(3);
    expect(status.of(c.nodes[0]!.applianceId)?.status).toBe("pass");
    expect(status.of(c.nodes[1]!.applianceId)?.status).toBe("pass");
    const stuck = status.of(c.nodes[2]!.applianceId)!;
    expect(stuck.status).toBe("fail");
    expect(stuck.summary).toMatch(/not ready: joining/);
    expect(stuck.remedy).toMatch(/wait for the join to complete/);
    expect(stuck.ruleIds).toEqual(expect.arrayContaining(["O6", "F5", "F8"]));
    // The rejoin gave the node a new id; the console found it by its address and keeps the new id.
    const renewed = (await nodeList(entry)).find((n) => n.host === third!.host)!.nodeID;
    expect(renewed).not.toBe(id);
    expect((await f.env.db.appliance.findUniqueOrThrow({ where: { id: c.nodes[2]!.applianceId } })).clusterNodeId).toBe(renewed);
    await expect(launchPlan(f.env.db, f.actor, plan.id)).rejects.toThrow(/Not launched: Precheck failed: The node is not ready: joining.*wait for the join to complete/);
    expect(await f.env.db.applianceLock.count({ where: { planId: plan.id } })).toBe(0);
    expect((await f.env.db.upgradePlan.findUniqueOrThrow({ where: { id: plan.id } })).state).toBe("draft");

    // The remedy works: once the join completes, the re-run prechecks pass and the plan is ready.
    await third!.setFaults({ stuckJoining: false });
    await becomes(first!, third!, "r");
    await runPrechecks(f.env.db, f.actor, plan.id);
    expect((await checks(plan.id, "node-status")).rows.map((r) => r.status)).toEqual(["pass", "pass", "pass"]);
    expect((await f.env.db.upgradePlan.findUniqueOrThrow({ where: { id: plan.id } })).state).toBe("ready");
  });

  it.each([
    { fault: "down", code: "d", label: "down" },
    { fault: "killed", code: "k", label: "killed" },
    { fault: "unknownState", code: "u", label: "unknown" },
    { fault: "differentStates", code: "x", label: "nodes are in different states across databases" },
  ] as const)("[F8][O6][F5] a node $label fails its node-status precheck with the rejoin remedy", async ({ fault, code, label }) => {
    const c = clusters.find((x) => x.fleet.clusters[0]!.name === "rf-states") ?? (await cluster("rf-states"));
    const [first, second] = c.nodes.map((n) => n.sim);
    await second!.setFaults({ [fault]: true });
    try {
      await becomes(first!, second!, code);
      const plan = await createPlan(f.env.db, f.actor, { clusterId: c.clusterId, targetVersion: V11, method: "offline-in-place" });
      const status = await checks(plan.id, "node-status");
      const bad = status.of(c.nodes[1]!.applianceId)!;
      expect(bad.status).toBe("fail");
      expect(bad.summary).toBe(`The node is not ready: ${label}.`);
      expect(bad.evidence).toContain(`status ${code} `);
      expect(bad.remedy).toMatch(/Attempt a rejoin of this node/);
      expect(status.rows.filter((r) => r.status === "fail")).toHaveLength(1);
      await expect(launchPlan(f.env.db, f.actor, plan.id)).rejects.toThrow(new RegExp(`Precheck failed: The node is not ready: ${label}\\. Attempt a rejoin`));
    } finally {
      await second!.setFaults({ [fault]: false });
      await becomes(first!, second!, "r");
    }
  });

  it("[F8] refuses the offline method while audit records go to the database, and offers the fix that turns them off", async () => {
    const c = await cluster("rf-audit", { nodes: [{}, {}, { faults: { auditRecordsToDb: true } }] });
    const online = await createPlan(f.env.db, f.actor, { clusterId: c.clusterId, targetVersion: V11, method: "online-rolling" });
    expect((await checks(online.id, "audit-records-db")).rows).toHaveLength(0); // only the offline prepare refuses it
    const plan = await createPlan(f.env.db, f.actor, { clusterId: c.clusterId, targetVersion: V11, method: "offline-in-place" });
    const [audit] = (await checks(plan.id, "audit-records-db")).rows;
    expect(audit).toMatchObject({ status: "fail", evidence: "ENABLE_RECORDS_DB_STORE: on" });
    expect(audit!.remedy).toMatch(/Disable local database audit logging on one node/);
    await confirmBackup(f.env.db, f.actor, plan.id);
    await expect(launchPlan(f.env.db, f.actor, plan.id)).rejects.toThrow(/Audit records are being written to the database/);

    const after = await applyFix(f.env.db, f.actor, plan.id, { fix: "disable-audit-records" });
    expect(after.find((p) => p.id === "audit-records-db")).toMatchObject({ status: "pass", evidence: "ENABLE_RECORDS_DB_STORE: off" });
    expect(after.filter((p) => p.status === "fail")).toEqual([]);
    // Turned off on one node, it is off for the whole cluster: the property lives in the shared database.
    for (const n of c.nodes) expect((await apiOf(n.sim).json<{ value: string }>("/api/v1/configs/properties/ENABLE_RECORDS_DB_STORE")).value).toBe("false");
    expect(await f.env.db.auditEvent.count({ where: { subjectId: plan.id, action: "fix-applied" } })).toBe(1);
    expect((await f.env.db.upgradePlan.findUniqueOrThrow({ where: { id: plan.id } })).state).toBe("ready");
  });

  it("[F8][O4] refuses the offline method on nodes of different versions, and suggests a method that levels them", async () => {
    const c = await cluster("rf-mixed", { nodes: [{}, {}, { version: V11 }] });
    const plan = await createPlan(f.env.db, f.actor, { clusterId: c.clusterId, targetVersion: V11, method: "offline-in-place" });
    const [same] = (await checks(plan.id, "same-versions")).rows;
    expect(same!.status).toBe("fail");
    expect(same!.evidence).toContain(V10);
    expect(same!.evidence).toContain(V11);
    expect(same!.remedy).toMatch(/online in-place or remove\/rebuild to bring all nodes to the same starting version/);
    await confirmBackup(f.env.db, f.actor, plan.id);
    await expect(launchPlan(f.env.db, f.actor, plan.id)).rejects.toThrow(/Cluster nodes run different versions/);

    const options = await describePlanOptions(f.env.db, { clusterId: c.clusterId, targetVersion: V11 });
    const offline = options.methods.find((m) => m.method === "offline-in-place")!;
    expect(offline).toMatchObject({ available: false, suggested: false, code: "mixed-versions" });
    expect(offline.message).toMatch(/Level them with online in-place or remove\/rebuild first \[F8\]/);
    const suggested = options.methods.filter((m) => m.suggested);
    expect(suggested.map((m) => m.method)).toEqual(["online-rolling"]);
    expect(suggested[0]!.message).toMatch(/brings every node to the same version/);
    expect(options.methods.find((m) => m.method === "remove-rebuild")?.available).toBe(true);
  });

  it("[U7][F8] refuses low disk on one node before anything is uploaded to any node", async () => {
    const c = await cluster("rf-disk", { nodes: [{}, { faults: { lowDisk: 4 * GiB } }, {}] });
    const plan = await createPlan(f.env.db, f.actor, { clusterId: c.clusterId, targetVersion: V11, method: "offline-in-place" });
    const disk = await checks(plan.id, "disk-space");
    expect(disk.rows.map((r) => r.status).sort()).toEqual(["fail", "pass", "pass"]);
    const low = disk.of(c.nodes[1]!.applianceId)!;
    expect(low.status).toBe("fail");
    expect(low.summary).toMatch(/Needs 12\.0 GiB.*8\.0 GiB short/);
    expect(low.remedy).toMatch(/Free space on \//);
    expect(low.ruleIds).toEqual(expect.arrayContaining(["U7", "F8"]));
    await confirmBackup(f.env.db, f.actor, plan.id);
    await expect(launchPlan(f.env.db, f.actor, plan.id)).rejects.toThrow(/Precheck failed: Needs 12\.0 GiB/);
    for (const n of c.nodes) expect(n.sim.record.filter((r) => r.channel === "sftp")).toEqual([]);
    expect(await f.env.db.step.count({ where: { planId: plan.id, state: { not: "pending" } } })).toBe(0);
  });
});

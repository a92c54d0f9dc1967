// What is refused before a cluster plan exists, each with its reason: an archive whose signature
// does not verify [U1][F8], the offline method to a non-LTS target or across minors below 2.15
// [F1][M2], a clustered downgrade without an admin's override and typed words [D1]. And what is
// allowed instead: online in-place across two minors goes one minor at a time [O1].
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startConsoleFixture, type ConsoleFixture } from "@/lib/testing/console-fixture";
import { startEnrolledCluster, type EnrolledCluster } from "@/lib/testing/enrolled-cluster";
import { waitForPlanState } from "@/lib/testing/in-process-worker";
import { createPlan } from "@/lib/plans/create-plan";
import { confirmBackup } from "@/lib/plans/confirm-backup";
import { launchPlan } from "@/lib/plans/launch-plan";
import { describePlanOptions } from "@/lib/plans/plan-options";
import { flipByte } from "@/simulator/archives";

const V9 = "2.9.0+11937";
const V10 = "2.10.0+12807";
const V11 = "2.11.0+13003";
const V12 = "2.12.0+14001";
let f: ConsoleFixture;
const clusters: EnrolledCluster[] = [];

async function cluster(name: string, version: string) {
  const c = await startEnrolledCluster(f.env.db, f.env.dataDir, name, { defaults: { version } });
  clusters.push(c);
  return c;
}

const planCount = () => f.env.db.upgradePlan.count();

beforeAll(async () => {
  f = await startConsoleFixture("cluster_plan_refusals", { archives: [V10, V11, V12] });
});

afterAll(async () => {
  await Promise.all(clusters.map((c) => c.fleet.stop()));
  await f?.stop();
});

describe("cluster plan refusals", () => {
  it.each([
    { how: "a tampered byte", version: "2.11.1+13100", opts: { mutate: (file: string) => flipByte(file, 64 * 1024) } },
    { how: "an untrusted signer", version: "2.11.2+13200", opts: { signer: "other-signer" as const } },
  ])("[U1][F8] an archive refused for $how never reaches a cluster plan, and the refusal says why", async ({ version, opts }) => {
    const refused = await f.upload(version, opts);
    expect(refused.status).toBe("refused");
    expect(refused.refusalReason).toMatch(/signature|signer|key/i);
    expect(refused.storedPath).toBeNull();
    const c = clusters.find((x) => x.fleet.clusters[0]!.name === "pr-plain") ?? (await cluster("pr-plain", V10));
    const before = await planCount();
    for (const method of ["online-rolling", "offline-in-place", "remove-rebuild"] as const) {
      await expect(createPlan(f.env.db, f.actor, { clusterId: c.clusterId, targetVersion: version, method })).rejects.toThrow(
        new RegExp(`archive for ${version.split("+")[0]!.replace(/\./g, "\\.")}.* has no verified signature; upload it again from the Support Portal`),
      );
    }
    expect(await planCount()).toBe(before);
    const options = await describePlanOptions(f.env.db, { clusterId: c.clusterId, targetVersion: version });
    const online = options.methods.find((m) => m.method === "online-rolling")!;
    expect(online.missing.join(" ")).toMatch(/no verified signature/);
    expect(online.archives).toEqual([]);
  });

  it("[F1][M2] refuses the offline method to a feature release, and to an LTS release across minors below 2.15", async () => {
    const c = clusters.find((x) => x.fleet.clusters[0]!.name === "pr-plain") ?? (await cluster("pr-plain", V10));
    const before = await planCount();
    await expect(createPlan(f.env.db, f.actor, { clusterId: c.clusterId, targetVersion: V12, method: "offline-in-place" })).rejects.toThrow(
      "2.12 is not an LTS release; the offline in-place method only reaches LTS releases [F1]. Use online in-place or remove/rebuild.",
    );
    expect(await planCount()).toBe(before);
    const options = await describePlanOptions(f.env.db, { clusterId: c.clusterId, targetVersion: V12 });
    expect(options.methods.find((m) => m.method === "offline-in-place")).toMatchObject({ available: false, code: "target-not-lts" });
    expect(options.methods.find((m) => m.method === "online-rolling")).toMatchObject({ available: true, suggested: true });
    // The same target by the online method is planned, one minor at a time [O1].
    const online = await createPlan(f.env.db, f.actor, { clusterId: c.clusterId, targetVersion: V12, method: "online-rolling" });
    expect((online.hops as { version: string }[]).map((h) => h.version)).toEqual([V11, V12]);

    const old = await cluster("pr-old", V9);
    await expect(createPlan(f.env.db, f.actor, { clusterId: old.clusterId, targetVersion: V11, method: "offline-in-place" })).rejects.toThrow(
      /offline upgrades to 2\.11 are supported from 2\.10\.x \[F1\]\. Below 2\.15 the offline method cannot skip versions \[M2\]/,
    );
  });

  it("[O1][O7] online in-place from 2.9 to 2.11 goes through 2.10: every node once per hop, the whole first hop before the second", async () => {
    const c = clusters.find((x) => x.fleet.clusters[0]!.name === "pr-old") ?? (await cluster("pr-old", V9));
    const plan = await createPlan(f.env.db, f.actor, { clusterId: c.clusterId, targetVersion: V11, method: "online-rolling" });
    expect((plan.hops as { version: string }[]).map((h) => h.version)).toEqual([V10, V11]);
    await confirmBackup(f.env.db, f.actor, plan.id);
    await launchPlan(f.env.db, f.actor, plan.id);
    expect(await waitForPlanState(f.env.db, plan.id, ["succeeded", "failed"], 180_000)).toBe("succeeded");
    const runs = c.nodes.map((n) => n.sim.record.filter((r) => r.what.includes("ks_upgrade.sh")));
    for (const r of runs) {
      expect(r).toHaveLength(2);
      expect(r[0]!.what).toContain(`ks_upgrade_${V10}`);
      expect(r[1]!.what).toContain(`ks_upgrade_${V11}`);
    }
    const hop1 = runs.map((r) => r[0]!.seq);
    const hop2 = runs.map((r) => r[1]!.seq);
    expect(Math.max(...hop1)).toBeLessThan(Math.min(...hop2));
    expect(hop1).toEqual([...hop1].sort((a, b) => a - b)); // node after node [O7]
    expect(hop2).toEqual([...hop2].sort((a, b) => a - b));
    expect(c.nodes.map((n) => n.sim.state.version)).toEqual([V11, V11, V11]);
    // The first node of each hop locks the shared database: warned once per hop [O3].
    expect(await f.env.db.planEvent.count({ where: { planId: plan.id, type: "warning" } })).toBe(2);
  });

  it("[D1] refuses to downgrade a clustered node without an admin's override reason and the typed acknowledgement", async () => {
    const c = await cluster("pr-down", V11);
    const node = c.nodes[0]!;
    const name = "pr-down-1";
    const base = { applianceId: node.applianceId, targetVersion: V10, method: "downgrade" as const };
    const before = await planCount();
    await expect(createPlan(f.env.db, f.actor, base)).rejects.toThrow(`${name} is clustered: ks_downgrade.sh refuses it unless overridden [D1]. An admin must give a reason to override.`);
    await expect(createPlan(f.env.db, f.actor, { ...base, acknowledgement: `DOWNGRADE ${name}` })).rejects.toThrow(/unless overridden \[D1\]/);
    await expect(createPlan(f.env.db, f.actor, { ...base, overrideReason: "lab cluster, rebuilt tomorrow" })).rejects.toThrow(`To go on, type exactly: DOWNGRADE ${name}`);
    await expect(createPlan(f.env.db, f.actor, { ...base, overrideReason: "lab cluster, rebuilt tomorrow", acknowledgement: "DOWNGRADE pr-down-2" })).rejects.toThrow(`type exactly: DOWNGRADE ${name}`);
    const op = await f.env.db.user.create({ data: { email: "operator@test.local", name: "Operator", role: "operator" } });
    await expect(createPlan(f.env.db, { type: "user", id: op.id, name: op.email }, { ...base, overrideReason: "lab", acknowledgement: `DOWNGRADE ${name}` })).rejects.toThrow(
      "Only an admin may downgrade a clustered node [D1].",
    );
    expect(await planCount()).toBe(before);

    // With both, from an admin, the plan exists and passes -o to ks_downgrade.sh [D7].
    const plan = await createPlan(f.env.db, f.actor, { ...base, overrideReason: "lab cluster, rebuilt tomorrow", acknowledgement: `DOWNGRADE ${name}` });
    expect(plan.hops).toMatchObject([{ version: V10, direction: "downgrade", forceFlag: true }]);
    const run = await f.env.db.step.findFirstOrThrow({ where: { planId: plan.id, kind: "run-downgrade" } });
    expect(run.title).toMatch(/ks_downgrade\.sh to .* on pr-down-1 with -o$/);
    const audit = await f.env.db.auditEvent.findFirstOrThrow({ where: { action: "plan-created", subjectId: plan.id } });
    expect(audit.data).toMatchObject({ override: "lab cluster, rebuilt tomorrow" });
  });
});

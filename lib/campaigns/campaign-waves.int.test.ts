// Campaign waves end to end over simulated standalone appliances, the real worker and Postgres:
// the canary, the brake at its threshold, the concurrency limit as the appliances saw it, approvals,
// pause and resume, manual advance.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startConsoleFixture, type ConsoleFixture } from "@/lib/testing/console-fixture";
import type { EnrolledSimulator } from "@/lib/testing/simulated-appliance";
import { peakOverlap, startTaggedAppliance, upgradeSpans, waitFor, waitForCampaignState } from "@/lib/testing/campaign-run";
import type { Actor } from "@/lib/audit/append-audit-event";
import { CreateCampaignSchema } from "./campaign-input";
import { createCampaign } from "./create-campaign";
import { advanceWave, approveWave, launchCampaign, pauseCampaign, resumeCampaign } from "./control-campaign";
import { readCampaign } from "./read-campaigns";
import { settleCampaignWork } from "./advance-campaign";

const GiB = 1024 ** 3;
let f: ConsoleFixture;
const sims: EnrolledSimulator[] = [];

async function appliance(name: string, tags: string[], config: Parameters<typeof startTaggedAppliance>[5] = {}) {
  const s = await startTaggedAppliance(f.env.db, f.env.dataDir, f.actor, name, tags, config);
  sims.push(s);
  return s;
}

function campaignInput(name: string, tag: string, waves: Record<string, unknown>) {
  return CreateCampaignSchema.parse({ name, targetVersion: "2.11.0+13003", selection: { tags: [tag] }, waves: { soakSeconds: 1, ...waves }, distribution: { enabled: false } });
}

const byName = async (campaignId: string) => new Map((await readCampaign(f.env.db, campaignId)).targets.map((t) => [t.name, t]));
const ranUpgrade = (s: EnrolledSimulator) => s.sim.record.some((r) => r.what.includes("ks_upgrade.sh"));

beforeAll(async () => {
  f = await startConsoleFixture("campaign-waves", { archives: ["2.11.0+13003"] });
});

afterAll(async () => {
  await settleCampaignWork();
  await f?.stop();
  await settleCampaignWork();
  await Promise.all(sims.map((s) => s.sim.stop()));
});

describe("campaign waves", () => {
  it("[U8] a canary failure halts the campaign before the next wave; nothing else starts", async () => {
    const canary = await appliance("cw-a1", ["test=a", "env=lab"], { faults: { upgradeFails: true } });
    const others = [await appliance("cw-a2", ["test=a"]), await appliance("cw-a3", ["test=a"])];
    const c = await createCampaign(f.env.db, f.actor, campaignInput("canary-fails", "test=a", { canary: { tag: "env=lab" }, split: { by: "size", size: 5 }, concurrency: 2 }));
    expect(c.waves.map((w) => w.name)).toEqual(["canary (env=lab)", "wave 1"]);
    const before = others.map((o) => o.sim.record.length);
    await launchCampaign(f.env.db, f.actor, c.id);
    expect(await waitForCampaignState(f.env.db, c.id, ["halted", "succeeded", "failed"])).toBe("halted");

    const view = await readCampaign(f.env.db, c.id);
    expect(view.campaign.stateReason).toMatch(/^The canary canary \(env=lab\) failed: cw-a1 \(The plan failed: .*ks_upgrade/);
    expect(view.waves.map((w) => w.state)).toEqual(["halted", "pending"]);
    const t = await byName(c.id);
    expect(t.get("cw-a1")).toMatchObject({ state: "failed", planState: "failed" });
    for (const name of ["cw-a2", "cw-a3"]) expect(t.get(name)).toMatchObject({ state: "skipped", reason: expect.stringMatching(/^Not started: the campaign halted/), planId: null });
    expect(canary.sim.record.filter((r) => r.what.includes("ks_upgrade.sh")).map((r) => r.exitCode)).toEqual([1]);
    expect(others.map((o, i) => o.sim.record.slice(before[i]))).toEqual([[], []]);
    expect(await f.env.db.upgradePlan.count({ where: { applianceId: { in: others.map((s) => s.applianceId) } } })).toBe(0);
    expect(view.failures.map((x) => x.name)).toEqual(["cw-a1"]);
  });

  it("[U7] the brake lets one failure pass (maxFailures 1) and halts at two; never more than `concurrency` targets upgrade at once", async () => {
    const s = {
      b1: await appliance("cw-b1", ["test=b", "ring=0"]),
      b2: await appliance("cw-b2", ["test=b", "ring=1"]),
      b3: await appliance("cw-b3", ["test=b", "ring=1"]),
      b4: await appliance("cw-b4", ["test=b", "ring=1"], { diskFreeBytes: 4 * GiB }),
      b5: await appliance("cw-b5", ["test=b", "ring=2"], { faults: { upgradeFails: true } }),
      b6: await appliance("cw-b6", ["test=b", "ring=2"], { diskFreeBytes: 4 * GiB }),
      b7: await appliance("cw-b7", ["test=b", "ring=3"]),
    };
    const c = await createCampaign(f.env.db, f.actor, campaignInput("brake", "test=b", {
      canary: { names: ["cw-b1"] }, split: { by: "tag", key: "ring" }, concurrency: 2, brake: { maxFailures: 1, maxFailurePercent: 100 },
    }));
    expect(c.waves.map((w) => w.name)).toEqual(["canary (named)", "wave 1 (ring=1)", "wave 2 (ring=2)", "wave 3 (ring=3)"]);
    await launchCampaign(f.env.db, f.actor, c.id);
    expect(await waitForCampaignState(f.env.db, c.id, ["halted", "succeeded", "failed"], 110_000)).toBe("halted");

    const view = await readCampaign(f.env.db, c.id);
    expect(view.campaign.stateReason).toMatch(/^wave 2 \(ring=2\): 2 of 2 targets failed, more than the brake's 1: /);
    expect(view.waves.map((w) => w.state)).toEqual(["done", "done", "halted", "pending"]);
    const t = await byName(c.id);
    expect(Object.fromEntries([...t].map(([name, x]) => [name, x.state]))).toEqual({
      "cw-b1": "succeeded", "cw-b2": "succeeded", "cw-b3": "succeeded", "cw-b4": "failed", "cw-b5": "failed", "cw-b6": "failed", "cw-b7": "skipped",
    });
    expect(t.get("cw-b6")!.reason).toMatch(/^Prechecks failed: cw-b6: disk-space failed/);
    expect(t.get("cw-b5")!.reason).toMatch(/^The plan failed: .*ks_upgrade.sh exited 1/);
    expect(ranUpgrade(s.b4) || ranUpgrade(s.b6) || ranUpgrade(s.b7)).toBe(false);
    expect([s.b1, s.b2, s.b3].map((x) => x.sim.state.version)).toEqual(["2.11.0+13003", "2.11.0+13003", "2.11.0+13003"]);

    // What the appliances saw: at most two targets between ks_upgrade.sh and their new firmware.
    const spans = upgradeSpans(Object.fromEntries(Object.entries(s).map(([k, v]) => [k, [v.sim]])));
    expect(spans.map((x) => x.target).sort()).toEqual(["b1", "b2", "b3", "b5"]);
    expect(view.waves[1]!.countsByState).toMatchObject({ succeeded: 2, failed: 1 });
    expect(peakOverlap(spans)).toBeLessThanOrEqual(2);
    // Wave 1's two targets did run together: the limit was reached, not merely respected.
    expect(peakOverlap(spans.filter((x) => ["b2", "b3"].includes(x.target)))).toBe(2);
  });

  it("waits for an approver other than the creator before each wave; pause holds new starts; manual advance after the soak", async () => {
    const p1 = await appliance("cw-p1", ["test=p"]);
    const p2 = await appliance("cw-p2", ["test=p"]);
    const c = await createCampaign(f.env.db, f.actor, campaignInput("approvals", "test=p", { split: { by: "size", size: 1 }, concurrency: 1, approvalBeforeEachWave: true, autoAdvance: false }));
    const approverRow = await f.env.db.user.findUniqueOrThrow({ where: { email: "approver@test.local" } });
    const approver: Actor = { type: "user", id: approverRow.id, name: approverRow.email };
    await launchCampaign(f.env.db, f.actor, c.id);
    await waitFor("wave 0 awaiting approval", async () => (await readCampaign(f.env.db, c.id)).waves[0]!.state === "awaiting-approval");
    await expect(approveWave(f.env.db, f.actor, c.id, 0)).rejects.toThrow(/You created this campaign/);
    await approveWave(f.env.db, approver, c.id, 0, "lab first");
    await waitFor("p1 started", async () => (await byName(c.id)).get("cw-p1")!.planState === "running");
    await pauseCampaign(f.env.db, f.actor, c.id, "watching the canary");
    await waitFor("p1 upgraded", async () => (await byName(c.id)).get("cw-p1")!.planState === "succeeded", 60_000);
    // Paused: the wave neither soaks nor moves on, and p2 is not touched.
    await new Promise((r) => setTimeout(r, 1_500));
    let view = await readCampaign(f.env.db, c.id);
    expect(view.campaign.state).toBe("paused");
    expect(view.waves.map((w) => w.state)).toEqual(["running", "pending"]);
    expect(view.targets.find((x) => x.name === "cw-p1")!.state).toBe("soaking");
    await resumeCampaign(f.env.db, f.actor, c.id);
    await expect(advanceWave(f.env.db, f.actor, c.id)).rejects.toThrow(/soak|must finish/);
    await waitFor("wave 0 done", async () => (await readCampaign(f.env.db, c.id)).waves[0]!.state === "done");
    view = await readCampaign(f.env.db, c.id);
    expect(view.campaign.stateReason).toMatch(/an operator advances to wave 1/);
    expect(ranUpgrade(p2)).toBe(false);
    await advanceWave(f.env.db, f.actor, c.id);
    await waitFor("wave 1 awaiting approval", async () => (await readCampaign(f.env.db, c.id)).waves[1]!.state === "awaiting-approval");
    await approveWave(f.env.db, approver, c.id, 1);
    expect(await waitForCampaignState(f.env.db, c.id, ["succeeded", "failed", "halted"])).toBe("succeeded");
    expect([p1.sim.state.version, p2.sim.state.version]).toEqual(["2.11.0+13003", "2.11.0+13003"]);
    const actions = (await f.env.db.auditEvent.findMany({ where: { subjectType: "campaign", subjectId: c.id }, orderBy: { id: "asc" } })).map((e) => e.action);
    for (const a of ["campaign-created", "campaign-launched", "campaign-wave-approved", "campaign-paused", "campaign-resumed", "campaign-wave-advanced", "campaign-succeeded"]) expect(actions).toContain(a);
  });
});

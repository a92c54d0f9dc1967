// A campaign over a mixed simulated fleet (clusters and standalones, some that cannot be planned,
// one failing its prechecks): the dry run names what would happen to each target and changes
// nothing; the run ends with every target in a truthful state. And an abort mid-wave: nothing new
// starts and the running cluster plan stops after its current node.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startConsoleFixture, type ConsoleFixture } from "@/lib/testing/console-fixture";
import { startEnrolledCluster, type EnrolledCluster } from "@/lib/testing/enrolled-cluster";
import type { EnrolledSimulator } from "@/lib/testing/simulated-appliance";
import { peakOverlap, startTaggedAppliance, upgradeSpans, waitFor, waitForCampaignState } from "@/lib/testing/campaign-run";
import { waitForPlanState } from "@/lib/testing/in-process-worker";
import { CreateCampaignSchema } from "./campaign-input";
import { createCampaign } from "./create-campaign";
import { abortCampaign, launchCampaign } from "./control-campaign";
import { dryRunCampaign } from "./dry-run";
import { readCampaign } from "./read-campaigns";
import { settleCampaignWork } from "./advance-campaign";
import { setTags } from "./tags";

const GiB = 1024 ** 3;
const TARGET = "2.11.0+13003";
let f: ConsoleFixture;
const sims: EnrolledSimulator[] = [];
const clusters: EnrolledCluster[] = [];

async function appliance(name: string, tags: string[], config: Parameters<typeof startTaggedAppliance>[5] = {}) {
  const s = await startTaggedAppliance(f.env.db, f.env.dataDir, f.actor, name, tags, config);
  sims.push(s);
  return s;
}

async function cluster(name: string, tags: string[], hosts: string[]) {
  const c = await startEnrolledCluster(f.env.db, f.env.dataDir, name, { size: hosts.length, nodes: hosts.map((host) => ({ host })) });
  clusters.push(c);
  await setTags(f.env.db, f.actor, { kind: "cluster", id: c.clusterId, tags });
  return c;
}

const changes = (s: { record: { channel: string; what: string }[] }) =>
  s.record.filter((r) => r.channel === "sftp" || r.channel === "rest" || (r.channel === "ssh" && /ks_upgrade|reboot|rm |systemctl (start|stop|restart)|ksctl/.test(r.what)));

beforeAll(async () => {
  f = await startConsoleFixture("campaign-fleet", { archives: [TARGET] });
});

afterAll(async () => {
  await settleCampaignWork();
  await f?.stop();
  await settleCampaignWork();
  await Promise.all([...sims.map((s) => s.sim.stop()), ...clusters.map((c) => c.fleet.stop())]);
});

describe("campaign over a mixed fleet", () => {
  it("[U2][U7] dry run names every target's fate without touching an appliance; the run ends with every target truthful", async () => {
    const m1 = await appliance("cf-m1", ["test=mix", "env=lab"]);
    const m2 = await appliance("cf-m2", ["test=mix"]);
    const m3 = await appliance("cf-m3", ["test=mix"], { diskFreeBytes: 4 * GiB });
    const m4 = await appliance("cf-m4", ["test=mix"], { version: "2.7.0+10000" });
    const m5 = await appliance("cf-m5", ["test=mix"], { version: TARGET });
    const c1 = await cluster("cf-mx1", ["test=mix", "site=paris"], ["127.0.0.31", "127.0.0.32"]);
    const c2 = await cluster("cf-mx2", ["test=mix", "site=berlin"], ["127.0.0.33", "127.0.0.34"]);
    const all = [...[m1, m2, m3, m4, m5].map((s) => s.sim), ...c1.nodes.map((n) => n.sim), ...c2.nodes.map((n) => n.sim)];
    await expect(setTags(f.env.db, f.actor, { kind: "cluster", id: c1.clusterId, tags: ["site paris"] })).rejects.toThrow(/a tag is key=value/);
    const tagged = await f.env.db.auditEvent.findFirstOrThrow({ where: { action: "tags-changed", subjectType: "cluster", subjectId: c1.clusterId } });
    expect(tagged.data).toMatchObject({ name: "cf-mx1", before: [], after: ["site=paris", "test=mix"] });

    const c = await createCampaign(f.env.db, f.actor, CreateCampaignSchema.parse({
      name: "mixed", targetVersion: TARGET, selection: { tags: ["test=mix"] },
      waves: { canary: { tag: "env=lab" }, split: { by: "size", size: 4 }, concurrency: 3, soakSeconds: 1, brake: { maxFailures: 1, maxFailurePercent: 100 } },
      distribution: { enabled: false },
    }));
    const stored = new Map(c.targets.map((t) => [t.name, t]));
    expect(c.waves.map((w) => w.name)).toEqual(["canary (env=lab)", "wave 1"]);
    expect(stored.get("cf-m4")).toMatchObject({ state: "unplannable", wave: null, reason: expect.stringMatching(/Untested path/) });
    expect(stored.get("cf-m5")).toMatchObject({ state: "skipped", reason: expect.stringMatching(/Already runs 2.11.0/) });
    expect(stored.get("cf-mx1")).toMatchObject({ kind: "cluster", method: "online-rolling", site: "paris", wave: 1 });

    const before = all.map((s) => changes(s).length);
    const plansBefore = await f.env.db.upgradePlan.count();
    const report = await dryRunCampaign(f.env.db, f.actor, c.id);
    const verdict = Object.fromEntries(report.targets.map((t) => [t.name, t.verdict]));
    expect(verdict).toEqual({
      "cf-m1": "would-upgrade", "cf-m2": "would-upgrade", "cf-mx1": "would-upgrade", "cf-mx2": "would-upgrade",
      "cf-m3": "would-fail-prechecks", "cf-m4": "unplannable", "cf-m5": "already-on-target",
    });
    const dry = new Map(report.targets.map((t) => [t.name, t]));
    expect(dry.get("cf-m3")!.reasons.join(" ")).toMatch(/cf-m3: disk-space failed: .*4\.0 GiB available/);
    expect(dry.get("cf-m4")!.reasons.join(" ")).toMatch(/Untested path: No chain of tested upgrades leads from 2.7.0/);
    expect(dry.get("cf-mx1")!.prechecks.filter((p) => p.id === "node-status").map((p) => [p.node, p.status])).toEqual([["cf-mx1-1", "pass"], ["cf-mx1-2", "pass"]]);
    expect(dry.get("cf-m1")!.hops.map((h) => h.archiveFileName)).toEqual([`ks_upgrade_${TARGET}.tar.gz.gpg`]);
    expect(report.summary).toMatchObject({ total: 7, "would-upgrade": 4, "would-fail-prechecks": 1, unplannable: 1, "already-on-target": 1 });
    expect(report.decisions.join("\n")).toMatch(/wave 1: cf-m3 would fail; within the brake/);
    expect(all.map((s, i) => changes(s).length - before[i]!)).toEqual(all.map(() => 0));
    expect(await f.env.db.upgradePlan.count()).toBe(plansBefore);
    expect(await f.env.db.auditEvent.count({ where: { action: "campaign-dry-run", subjectId: c.id } })).toBe(1);

    await launchCampaign(f.env.db, f.actor, c.id);
    expect(await waitForCampaignState(f.env.db, c.id, ["succeeded", "failed", "halted"], 110_000)).toBe("failed");
    const view = await readCampaign(f.env.db, c.id);
    const state = Object.fromEntries(view.targets.map((t) => [t.name, t.state]));
    expect(state).toEqual({ "cf-m1": "succeeded", "cf-m2": "succeeded", "cf-mx1": "succeeded", "cf-mx2": "succeeded", "cf-m3": "failed", "cf-m4": "unplannable", "cf-m5": "skipped" });
    expect(view.campaign.stateReason).toMatch(/^1 of 5 planned target\(s\) did not upgrade: cf-m3 failed \(Prechecks failed: cf-m3: disk-space failed.*1 target\(s\) could not be planned/);
    expect(view.failures.map((x) => [x.name, x.state])).toEqual([["cf-m3", "failed"], ["cf-m4", "unplannable"]]);
    // The appliances agree: upgraded where the campaign says so, untouched elsewhere.
    for (const s of [m1, m2]) expect(s.sim.state.version).toBe(TARGET);
    for (const n of [...c1.nodes, ...c2.nodes]) expect(n.sim.state.version).toBe(TARGET);
    expect(m3.sim.state.version).toBe("2.10.0+12807");
    expect(m4.sim.state.version).toBe("2.7.0+10000");
    for (const s of [m3, m4, m5]) expect(s.sim.record.some((r) => r.channel === "sftp" || r.what.includes("ks_upgrade.sh"))).toBe(false);
    for (const n of [...c1.nodes, ...c2.nodes]) expect(n.sim.record.filter((r) => r.what.includes("ks_upgrade.sh"))).toHaveLength(1);
    expect(view.timeLeftSeconds).toBe(0);
    const spans = upgradeSpans({ m1: [m1.sim], m2: [m2.sim], mx1: c1.nodes.map((n) => n.sim), mx2: c2.nodes.map((n) => n.sim) });
    expect(spans).toHaveLength(4);
    expect(peakOverlap(spans)).toBeLessThanOrEqual(3);
  });

  it("[O7] abort mid-wave: nothing new starts, and the running cluster plan stops after its current node", async () => {
    const ab = await cluster("cf-ab", ["test=ab"], ["127.0.0.35", "127.0.0.36", "127.0.0.37"]);
    const other = await appliance("cf-ab2", ["test=ab"]);
    const c = await createCampaign(f.env.db, f.actor, CreateCampaignSchema.parse({
      name: "abort", targetVersion: TARGET, selection: { tags: ["test=ab"] },
      waves: { canary: { names: ["cf-ab"] }, concurrency: 1, soakSeconds: 1 }, distribution: { enabled: false },
    }));
    await launchCampaign(f.env.db, f.actor, c.id);
    const [n1, n2, n3] = ab.nodes;
    await waitFor("ks_upgrade.sh on the first node", async () => n1!.sim.record.some((r) => r.what.includes("ks_upgrade.sh")), 60_000);
    await abortCampaign(f.env.db, f.actor, c.id, "change freeze");

    const target = (await readCampaign(f.env.db, c.id)).targets.find((t) => t.name === "cf-ab")!;
    expect(await waitForPlanState(f.env.db, target.planId!, ["paused", "succeeded", "failed"], 60_000)).toBe("paused");
    const plan = await f.env.db.upgradePlan.findUniqueOrThrow({ where: { id: target.planId! }, include: { steps: true } });
    expect(plan.stateReason).toMatch(/^Stopped after the current node: campaign abort was aborted \(Aborted by .*change freeze\)\. Upgraded: cf-ab-1\. Not touched: cf-ab-2, cf-ab-3\./);
    expect(plan.steps.filter((s) => s.applianceId === n1!.applianceId).every((s) => s.state === "succeeded" || s.state === "skipped")).toBe(true);
    expect(n1!.sim.state.version).toBe(TARGET);
    for (const n of [n2!, n3!]) {
      expect(n.sim.record.some((r) => r.what.includes("ks_upgrade.sh") || r.what.includes("reboot"))).toBe(false);
      expect(n.sim.state.version).toBe("2.10.0+12807");
    }
    await waitFor("target settled", async () => (await readCampaign(f.env.db, c.id)).targets.find((t) => t.name === "cf-ab")!.state === "aborted");
    const view = await readCampaign(f.env.db, c.id);
    expect(view.campaign.state).toBe("aborted");
    expect(view.targets.find((t) => t.name === "cf-ab")!.reason).toMatch(/^Stopped after the current node/);
    expect(view.targets.find((t) => t.name === "cf-ab2")).toMatchObject({ state: "skipped", planId: null, reason: expect.stringMatching(/^Not started: Aborted by/) });
    expect(other.sim.record.some((r) => r.channel === "sftp" || r.what.includes("ks_upgrade.sh"))).toBe(false);
    // The stopped plan holds its nodes (it is resumable); nothing starts on them meanwhile.
    expect(await f.env.db.applianceLock.count({ where: { planId: plan.id } })).toBe(3);
  });
});

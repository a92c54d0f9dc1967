// Distribution's fleet limits, checked against what the simulated appliances saw over real SSH:
// uploads at once across the fleet, and bytes per second per site.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startConsoleFixture, type ConsoleFixture } from "@/lib/testing/console-fixture";
import { startEnrolledAppliance, type EnrolledSimulator } from "@/lib/testing/simulated-appliance";
import { startEnrolledCluster, type EnrolledCluster } from "@/lib/testing/enrolled-cluster";
import { startInProcessDistributionWorker, waitForDistribution } from "@/lib/testing/in-process-distribution-worker";
import { createCampaignRows } from "@/lib/testing/campaign-rows";
import { mergedRecord, peakConcurrentUploads, uploadSpans, type UploadSpan } from "@/lib/testing/upload-record";
import { getSharedRedis } from "@/lib/queue/connection";
import { countSemaphoreHolders } from "@/lib/queue/redis-semaphore";
import type { DistributionWorker } from "@/workers/distribution-worker";
import { distributionKeys } from "./distribution-progress";
import { readDistributionProgress, startCampaignDistribution } from "./distribute";

const MB = 1_000_000;
let f: ConsoleFixture;
let workers: DistributionWorker[] = [];
const sims: EnrolledSimulator[] = [];
let cluster: EnrolledCluster;

async function appliance(name: string) {
  const s = await startEnrolledAppliance(f.env.db, f.env.dataDir, { name, version: "2.10.0+12807" });
  sims.push(s);
  return s;
}

/** Bytes the appliances received over the time from the first open to the last close. */
function rateOf(spans: UploadSpan[]) {
  const start = Math.min(...spans.map((s) => s.startAt));
  const end = Math.max(...spans.map((s) => s.endAt));
  const bytes = spans.reduce((n, s) => n + s.bytes, 0);
  return { bytes, seconds: (end - start) / 1000, rate: bytes / ((end - start) / 1000) };
}

/** The target's progress once a copy to it reported a rate. */
async function waitForProgress(campaignId: string, name: string) {
  const end = Date.now() + 10_000;
  for (;;) {
    const p = (await readDistributionProgress(f.env.db, campaignId)).find((x) => x.name === name)!;
    if (p.rate > 0 || Date.now() > end) return p;
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  f = await startConsoleFixture("dist-limits", { worker: false });
  for (const version of ["2.11.0+13003", "2.12.0+14001"]) {
    const row = await f.upload(version, { sizeBytes: 2 * 1024 * 1024 });
    expect(row.status).toBe("verified");
  }
  cluster = await startEnrolledCluster(f.env.db, f.env.dataDir, "cm-lim");
  for (const name of ["cm-lim-a", "cm-lim-b", "cm-lim-c"]) await appliance(name);
  // Two workers, each with its own Redis connection and 3 job slots (so both take jobs): the limits
  // hold across them as across worker processes, since all they share is Redis.
  workers = [startInProcessDistributionWorker(f.env.db, 3), startInProcessDistributionWorker(f.env.db, 3)];
});

afterAll(async () => {
  await Promise.all(workers.map((w) => w.stop()));
  await cluster?.fleet.stop();
  await Promise.all(sims.map((s) => s.sim.stop()));
  await f?.stop();
});

describe("campaign distribution limits", () => {
  it("never runs more uploads at once than maxConcurrentUploads, across the fleet", async () => {
    const [a, b, c] = sims;
    const { campaign, targets } = await createCampaignRows(f.env.db, {
      name: "limit-uploads", targetVersion: "2.11.0+13003",
      // A per-site budget makes each copy last long enough that overlaps are certain to be seen.
      distribution: { maxConcurrentUploads: 2, siteBandwidthBytesPerSecond: 4 * MB },
      targets: [
        { kind: "cluster", name: "cm-lim", applianceId: cluster.nodes[0]!.applianceId, clusterId: cluster.clusterId, site: "paris" },
        { kind: "appliance", name: a!.sim.name, applianceId: a!.applianceId, site: "s1" },
        { kind: "appliance", name: b!.sim.name, applianceId: b!.applianceId, site: "s2" },
        { kind: "appliance", name: c!.sim.name, applianceId: c!.applianceId, site: "s3" },
      ],
    });
    const started = await startCampaignDistribution(f.env.db, campaign.id);
    expect(started).toEqual({ added: 6, refused: [] });
    const settled = await waitForDistribution(f.env.db, targets.map((t) => t.id));
    expect(settled.map((t) => [t.name, t.state, t.distributedAt !== null])).toEqual(expect.arrayContaining(targets.map((t) => [t.name, "pending", true])));

    const spans = uploadSpans(mergedRecord([...cluster.fleet.appliances, ...sims.map((s) => s.sim)]));
    expect(spans).toHaveLength(6);
    expect(spans.every((s) => !s.interrupted && s.path === "/home/ksadmin/ks_upgrade_2.11.0+13003.tar.gz.gpg")).toBe(true);
    expect(peakConcurrentUploads(spans)).toBe(2);
    expect(await countSemaphoreHolders(getSharedRedis("producer"), distributionKeys.uploads(campaign.id))).toBe(0);
    const progress = await readDistributionProgress(f.env.db, campaign.id);
    const clusterProgress = progress.find((p) => p.name === "cm-lim")!;
    expect(clusterProgress).toMatchObject({ nodesDone: 3, nodesTotal: 3 });
    expect(clusterProgress.bytesDone).toBe(clusterProgress.bytesTotal);
  });

  it("keeps all uploads to one site under its bandwidth cap, without slowing another site", async () => {
    const [a, b, c] = sims;
    const cap = 1 * MB;
    const { campaign, targets } = await createCampaignRows(f.env.db, {
      name: "limit-bandwidth", targetVersion: "2.12.0+14001",
      distribution: { maxConcurrentUploads: 10, siteBandwidthBytesPerSecond: cap },
      targets: [
        { kind: "appliance", name: a!.sim.name, applianceId: a!.applianceId, site: "lyon" },
        { kind: "appliance", name: b!.sim.name, applianceId: b!.applianceId, site: "lyon" },
        { kind: "appliance", name: c!.sim.name, applianceId: c!.applianceId, site: "nice" },
      ],
    });
    const seq = Math.max(0, ...mergedRecord(sims.map((s) => s.sim)).map((e) => e.seq));
    await startCampaignDistribution(f.env.db, campaign.id);
    // Halfway through, the campaign view can show bytes, a rate and the time left.
    const mid = await waitForProgress(campaign.id, a!.sim.name);
    expect(mid.bytesDone).toBeLessThan(mid.bytesTotal);
    expect(mid.rate).toBeGreaterThan(cap * 0.2);
    expect(mid.rate).toBeLessThan(cap * 1.15);
    expect(mid.etaSeconds).toBeGreaterThan(0);
    await waitForDistribution(f.env.db, targets.map((t) => t.id));

    const spans = uploadSpans(mergedRecord(sims.map((s) => s.sim)).filter((e) => e.seq > seq));
    const lyon = rateOf(spans.filter((s) => s.appliance !== c!.sim.name));
    const nice = rateOf(spans.filter((s) => s.appliance === c!.sim.name));
    expect(lyon.bytes).toBeGreaterThan(4 * 1024 * 1024);
    expect(lyon.rate).toBeLessThanOrEqual(cap * 1.15);
    // Both lyon copies ran side by side, sharing the one budget.
    expect(peakConcurrentUploads(spans.filter((s) => s.appliance !== c!.sim.name))).toBe(2);
    expect(lyon.rate).toBeGreaterThan(cap * 0.6);
    // nice had its own budget: it did not share lyon's (that would give it about a third).
    expect(nice.rate).toBeLessThanOrEqual(cap * 1.15);
    expect(nice.rate).toBeGreaterThan(cap * 0.6);
    expect(nice.seconds).toBeLessThan(lyon.seconds * 0.75);
  });
});

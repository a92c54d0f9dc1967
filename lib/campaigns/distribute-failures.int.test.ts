// Distribution against appliances that misbehave, over real SSH to the simulator: a disk too small
// (refused before any byte), a connection cut mid-copy (resumed, hash checked), a second start
// (nothing copied twice), and the plan made afterwards finding every archive already in place.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startConsoleFixture, type ConsoleFixture } from "@/lib/testing/console-fixture";
import { startEnrolledAppliance, type EnrolledSimulator } from "@/lib/testing/simulated-appliance";
import { startEnrolledCluster, type EnrolledCluster } from "@/lib/testing/enrolled-cluster";
import { startInProcessDistributionWorker, waitForDistribution } from "@/lib/testing/in-process-distribution-worker";
import { createCampaignRows } from "@/lib/testing/campaign-rows";
import { mergedRecord, uploadSpans } from "@/lib/testing/upload-record";
import { createPlan } from "@/lib/plans/create-plan";
import type { DistributionWorker } from "@/workers/distribution-worker";
import { createStepContext } from "@/workers/step-context";
import { uploadArchive } from "@/workers/steps/upload-archive";
import { verifyUpload } from "@/workers/steps/verify-upload";
import { readDistributionProgress, startCampaignDistribution } from "./distribute";

const GiB = 1024 ** 3;
const V11 = "2.11.0+13003";
const V12 = "2.12.0+14001";
let f: ConsoleFixture;
let worker: DistributionWorker;
let cluster: EnrolledCluster;
let low: EnrolledSimulator;
let drop: EnrolledSimulator;
let ok: EnrolledSimulator;
const archives: Record<string, { fileName: string; sha256: string; sizeBytes: number }> = {};

beforeAll(async () => {
  f = await startConsoleFixture("dist-failures", { worker: false });
  for (const version of [V11, V12]) {
    const row = await f.upload(version, { sizeBytes: 4 * 1024 * 1024 });
    expect(row.status).toBe("verified");
    archives[version] = { fileName: row.fileName, sha256: row.sha256!, sizeBytes: Number(row.sizeBytes) };
  }
  cluster = await startEnrolledCluster(f.env.db, f.env.dataDir, "cm-dist");
  low = await startEnrolledAppliance(f.env.db, f.env.dataDir, { name: "cm-low", version: "2.10.0+12807" });
  drop = await startEnrolledAppliance(f.env.db, f.env.dataDir, { name: "cm-drop", version: "2.10.0+12807" });
  ok = await startEnrolledAppliance(f.env.db, f.env.dataDir, { name: "cm-ok", version: "2.10.0+12807" });
  await low.sim.setFaults({ lowDisk: 1 * GiB });
  await drop.sim.setFaults({ dropSshAfterBytes: 3_000_000 });
  worker = startInProcessDistributionWorker(f.env.db);
});

afterAll(async () => {
  await worker?.stop();
  await cluster?.fleet.stop();
  await Promise.all([low, drop, ok].filter(Boolean).map((s) => s.sim.stop()));
  await f?.stop();
});

describe("campaign distribution failures", () => {
  it("refuses a short disk, resumes a cut copy, copies nothing twice, and leaves the plan's uploads nothing to do", async () => {
    const { campaign, targets, byName } = await createCampaignRows(f.env.db, {
      name: "dist-failures", targetVersion: V12,
      distribution: { maxConcurrentUploads: 4, siteBandwidthBytesPerSecond: null },
      targets: [
        // Online in-place moves one release at a time: every node gets 2.11 and 2.12.
        { kind: "cluster", name: "cm-dist", applianceId: cluster.nodes[0]!.applianceId, clusterId: cluster.clusterId, site: "paris" },
        { kind: "appliance", name: "cm-low", applianceId: low.applianceId },
        { kind: "appliance", name: "cm-drop", applianceId: drop.applianceId },
        { kind: "appliance", name: "cm-ok", applianceId: ok.applianceId },
      ],
    });
    // (e) A second start while the first one's jobs are queued or running adds nothing.
    expect(await startCampaignDistribution(f.env.db, campaign.id)).toEqual({ added: 3 * 2 + 3, refused: [] });
    expect(await startCampaignDistribution(f.env.db, campaign.id)).toEqual({ added: 0, refused: [] });
    await waitForDistribution(f.env.db, targets.map((t) => t.id));
    expect(await startCampaignDistribution(f.env.db, campaign.id)).toEqual({ added: 0, refused: [] });

    // (c) The short disk got no bytes; its target failed naming the free space and the need.
    const lowTarget = await f.env.db.campaignTarget.findUniqueOrThrow({ where: { id: byName("cm-low").id } });
    expect(lowTarget.state).toBe("failed");
    expect(lowTarget.distributedAt).toBeNull();
    expect(lowTarget.reason).toMatch(/^distribution: cm-low: not copied, \/ is too small\. Needs 12\.0 GiB .* plus 4\.0 MiB for the archive still to be uploaded.*df shows 1\.0 GiB available on \/, 11\.0 GiB short\./);
    expect(low.sim.record.filter((e) => e.channel === "sftp")).toEqual([]);
    const audit = await f.env.db.auditEvent.findMany({ where: { subjectType: "campaign", subjectId: campaign.id }, orderBy: { id: "asc" } });
    expect(audit.filter((e) => e.action === "campaign-target-failed").map((e) => (e.data as { target: string }).target)).toEqual(["cm-low"]);
    expect(audit.filter((e) => e.action === "campaign-target-distributed").map((e) => (e.data as { target: string }).target).sort()).toEqual(["cm-dist", "cm-drop", "cm-ok"]);

    // (d) The cut copy was resumed from what had arrived, and the file on the appliance hashes right.
    const dropSpans = uploadSpans(mergedRecord([drop.sim]));
    expect(dropSpans.map((s) => s.interrupted)).toEqual([true, false]);
    expect(dropSpans[1]!.startSize).toBe(3_000_000);
    expect(dropSpans[1]!.bytes).toBeLessThan(archives[V12]!.sizeBytes);
    const onDrop = fs.readFileSync(path.join(f.env.dataDir, "sim", "cm-drop", "home", "ksadmin", archives[V12]!.fileName));
    expect(crypto.createHash("sha256").update(onDrop).digest("hex")).toBe(archives[V12]!.sha256);
    expect(drop.sim.record.some((e) => e.what === `sha256sum /home/ksadmin/${archives[V12]!.fileName}` && e.exitCode === 0)).toBe(true);

    // (e) Exactly one copy of each archive reached each node.
    const clusterSpans = uploadSpans(mergedRecord(cluster.fleet.appliances));
    expect(clusterSpans.map((s) => `${s.appliance} ${s.path}`).sort()).toEqual(
      cluster.fleet.appliances.flatMap((a) => [V11, V12].map((v) => `${a.name} /home/ksadmin/${archives[v]!.fileName}`)).sort(),
    );
    expect(uploadSpans(mergedRecord([ok.sim]))).toHaveLength(1);

    const progress = await readDistributionProgress(f.env.db, campaign.id);
    expect(progress.find((p) => p.name === "cm-dist")).toMatchObject({ nodesDone: 3, nodesTotal: 3, bytesTotal: 3 * (archives[V11]!.sizeBytes + archives[V12]!.sizeBytes) });
    expect(progress.find((p) => p.name === "cm-low")).toMatchObject({ state: "failed", nodesDone: 0, nodesTotal: 1, bytesDone: 0 });

    // (f) The plan made afterwards finds every archive in place: its upload steps skip, its hash checks pass.
    const before = mergedRecord(cluster.fleet.appliances).length;
    const plan = await createPlan(f.env.db, f.actor, { clusterId: cluster.clusterId, targetVersion: V12, method: "online-rolling" });
    const steps = await f.env.db.step.findMany({ where: { planId: plan.id, kind: { in: ["upload-archive", "verify-upload"] } }, orderBy: { position: "asc" } });
    expect(steps.filter((s) => s.kind === "upload-archive")).toHaveLength(6);
    for (const step of steps) {
      const ctx = createStepContext(f.env.db, plan, step, new AbortController().signal);
      const outcome = step.kind === "upload-archive" ? await uploadArchive(ctx) : await verifyUpload(ctx);
      expect(outcome.state).toBe(step.kind === "upload-archive" ? "skipped" : "succeeded");
      await ctx.flush();
    }
    expect(mergedRecord(cluster.fleet.appliances).slice(before).filter((e) => e.what.startsWith("upload started"))).toEqual([]);
  });
});

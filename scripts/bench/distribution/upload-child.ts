// The "worker" of benchmark 2: one process that copies one file to one or more nodes at once
// through the distribution worker's own upload (copyWithinLimits: a fleet-wide upload slot from
// Redis, the idle watchdog, progress into Redis every 500 ms, session.upload with resume), as
// workers/distribute-archive.ts does for a job once the node's disk was checked. Started by
// scripts/bench/distribution.ts as `node --import tsx` so /proc/<pid> is this process itself.
// Usage: node --import tsx upload-child.ts <job.json>; prints {"started":true} when it starts
// copying, then one JSON line (ChildReport) when done.
import fs from "node:fs";
import { performance } from "node:perf_hooks";
import { openSshSession } from "@/lib/appliance/ssh-session";
import type { ApplianceCredentials, ApplianceEndpoint, ApplianceTrust } from "@/lib/appliance/types";
import { DistributionSchema } from "@/lib/campaigns/campaign-input";
import { distributionKeys, itemField } from "@/lib/campaigns/distribution-progress";
import { getSharedRedis } from "@/lib/queue/connection";
import { copyWithinLimits } from "@/workers/distribute-archive";

export interface ChildTarget {
  name: string;
  endpoint: ApplianceEndpoint;
  credentials: ApplianceCredentials;
  trust: ApplianceTrust;
  remote: string;
}

export interface ChildJob {
  file: string;
  /** A campaign id of this run only: the Redis keys of its slots and progress. */
  campaignId: string;
  targets: ChildTarget[];
}

export interface ChildReport {
  /** From the first connect to the last session closed. */
  seconds: number;
  bytes: number;
  targets: { name: string; seconds: number; bytes: number }[];
  /** This process's CPU time and peak RSS (getrusage). */
  cpuSeconds: number;
  maxRssBytes: number;
}

async function copyTo(job: ChildJob, t: ChildTarget, size: number): Promise<{ name: string; seconds: number; bytes: number }> {
  const t0 = performance.now();
  const session = await openSshSession(t.endpoint, t.credentials, t.trust);
  try {
    const existing = await session.stat(t.remote);
    // Every node at once: the campaign's slot limit is the number of nodes (the default is 4).
    const config = DistributionSchema.parse({ maxConcurrentUploads: job.targets.length });
    const copied = await copyWithinLimits(session, job.file, t.remote, {
      campaignId: job.campaignId,
      site: null,
      config,
      field: itemField("bench-target", t.name, "bench-archive"),
      resumeFrom: existing?.size ?? 0,
      stillWanted: async () => true,
    });
    if (!copied) throw new Error(`${t.name}: the copy was given up`);
  } finally {
    await session.close();
  }
  return { name: t.name, seconds: (performance.now() - t0) / 1000, bytes: size };
}

async function main(): Promise<void> {
  const job = JSON.parse(fs.readFileSync(process.argv[2] ?? "", "utf8")) as ChildJob;
  const size = fs.statSync(job.file).size;
  // The parent reads the simulator's CPU time at this line and at the report.
  process.stdout.write(`${JSON.stringify({ started: true })}\n`);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const targets = await Promise.all(job.targets.map((t) => copyTo(job, t, size)));
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const redis = getSharedRedis("producer");
  await redis.del(distributionKeys.progress(job.campaignId), distributionKeys.uploads(job.campaignId));
  await redis.quit();
  const report: ChildReport = {
    seconds,
    bytes: size * targets.length,
    targets,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
  };
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`upload-child: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  },
);

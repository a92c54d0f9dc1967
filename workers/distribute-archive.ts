// One distribution job: copy one archive to one node ahead of the target's window, to the very
// path the plan's upload step uses (so that step finds it and skips). Observes first (a copy of the
// right size is only hashed), refuses when / cannot hold it, takes one of the campaign's fleet-wide
// upload slots, spends the site's bandwidth budget chunk by chunk, resumes a partial copy, and
// checks sha256 on the appliance before calling it done.
import fs from "node:fs";
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { readDiskFree, sha256OfRemoteFile } from "@/lib/appliance/commands";
import { openSshSession, type SshSession } from "@/lib/appliance/ssh-session";
import { loadApplianceAccess } from "@/lib/fleet/appliance-access";
import { assertTrusted } from "@/lib/fleet/trust";
import { checkDiskSpace } from "@/lib/domain/disk";
import { diskNeedFor } from "@/lib/domain/prechecks";
import { parseVersion } from "@/lib/domain/version";
import { loadReleaseCatalog } from "@/lib/plans/release-catalog";
import { getSharedRedis } from "@/lib/queue/connection";
import { acquireSemaphore } from "@/lib/queue/redis-semaphore";
import { createRateLimiter } from "@/lib/queue/redis-rate-limiter";
import type { DistributeJob } from "@/lib/queue/distribute-queue";
import { DistributionSchema } from "@/lib/campaigns/campaign-input";
import type { DistributionArchive, TargetDistribution } from "@/lib/campaigns/distribution-plan";
import { DISTRIBUTABLE_STATES, markTargetDistributed, markTargetDistributing } from "@/lib/campaigns/distribution-outcome";
import { distributionKeys, isTargetCopied, itemField, loadTargetPlan, recordItemProgress, type ItemProgress } from "@/lib/campaigns/distribution-progress";
import { remoteArchivePath } from "./steps/helpers";
import { undeployableReason } from "@/lib/archives/deployable";

/** A copy that acknowledged nothing for this long is cut and resumed by the next attempt. */
const IDLE_LIMIT_MS = 120_000;
const PROGRESS_EVERY_MS = 500;

export type DistributeResult = "copied" | "present" | "not-needed";

/** `signal` aborts a copy (the worker is stopping); the next attempt resumes it. */
export async function distributeArchive(db: Db, job: DistributeJob, signal?: AbortSignal): Promise<DistributeResult> {
  const target = await db.campaignTarget.findUnique({ where: { id: job.targetId }, include: { campaign: true } });
  // The target moved on (its plan started, it failed, the campaign ended): its plan uploads itself.
  if (!target || target.distributedAt || !DISTRIBUTABLE_STATES.includes(target.state)) return "not-needed";
  const plan = await loadTargetPlan(job.campaignId, job.targetId);
  const item = plan?.archives.find((a) => a.archiveId === job.archiveId);
  if (!plan || !item) return "not-needed"; // superseded by a later start that chose other archives
  const config = DistributionSchema.parse(target.campaign.distribution);
  const archive = await db.archive.findUniqueOrThrow({ where: { id: job.archiveId } });
  if (archive.status !== "verified" || !archive.storedPath || !fs.existsSync(archive.storedPath)) {
    throw new AppError("precondition-failed", `archive ${archive.fileName} is not a verified file on the console (status ${archive.status}); upload it again`);
  }
  // Last line of defence: not a byte of a file ks_upgrade.sh would refuse (lib/archives/deployable.ts).
  const undeployable = undeployableReason(archive);
  if (undeployable) throw new AppError("precondition-failed", undeployable);
  await assertTrusted(db, [job.applianceId]);
  await markTargetDistributing(db, target.id);
  const field = itemField(job.targetId, job.applianceId, job.archiveId);
  const { endpoint, credentials, trust } = await loadApplianceAccess(db, job.applianceId);
  const session = await openSshSession(endpoint, credentials, trust, { signal });
  let result: DistributeResult;
  try {
    const remote = remoteArchivePath(item);
    const existing = await session.stat(remote);
    if (existing?.size === item.sizeBytes) {
      result = "present";
    } else {
      await refuseIfDiskShort(db, session, plan, item, job.applianceId);
      const stillWanted = async () => {
        const now = await db.campaignTarget.findUnique({ where: { id: job.targetId }, select: { state: true, distributedAt: true } });
        return Boolean(now && !now.distributedAt && DISTRIBUTABLE_STATES.includes(now.state));
      };
      const copied = await copyWithinLimits(session, archive.storedPath, remote, { campaignId: job.campaignId, site: plan.site, config, field, resumeFrom: existing?.size ?? 0, signal, stillWanted });
      if (!copied) return "not-needed";
      result = "copied";
    }
    await verifyCopy(session, remote, item);
  } finally {
    await session.close().catch(() => undefined);
  }
  const now = Date.now();
  await recordItemProgress(job.campaignId, field, { sent: item.sizeBytes, total: item.sizeBytes, startedAt: now, resumedFrom: item.sizeBytes, at: now, done: true });
  if (await isTargetCopied(job.campaignId, plan)) {
    await markTargetDistributed(db, { id: target.id, campaignId: target.campaignId, name: target.name }, { nodes: plan.nodes.map((n) => n.name), archives: plan.archives.map((a) => a.fileName) });
  }
  return result;
}

/**
 * [U7] Refuses rather than fill `/`: the node must hold what is still to be copied of this target's
 * archives and keep free what the hop's release asks for besides them.
 */
async function refuseIfDiskShort(db: Db, session: SshSession, plan: TargetDistribution, item: DistributionArchive, applianceId: string) {
  let remaining = 0;
  for (const a of plan.archives) {
    const there = await session.stat(remoteArchivePath(a));
    remaining += a.sizeBytes - (there && there.size <= a.sizeBytes ? there.size : 0);
  }
  const df = await readDiskFree(session);
  if (!df.df.ok) throw new AppError("appliance-error", `free space on / could not be read (${df.df.message}); nothing was copied`);
  const version = parseVersion(item.version);
  if (!version) throw new AppError("internal", `archive version ${item.version} does not parse`);
  const need = diskNeedFor(await loadReleaseCatalog(db), { version, sizeBytes: item.sizeBytes, signatureVerified: true, onAppliance: false }, parseVersion(item.fromVersion));
  const check = checkDiskSpace({ reading: df.df.reading, need, archiveSizeBytes: remaining, archiveOnAppliance: false });
  if (!check.ok) {
    const node = await db.appliance.findUnique({ where: { id: applianceId }, select: { name: true } });
    throw new AppError("precheck-failed", `${node?.name ?? session.endpoint.host}: not copied, / is too small. ${check.message} Free space on / (old archives and logs in /home/ksadmin) or grow the disk.`, { needBytes: check.needBytes, availableBytes: check.availableBytes });
  }
}

export interface CopyLimits {
  campaignId: string;
  site: string | null;
  config: ReturnType<typeof DistributionSchema.parse>;
  field: string;
  /** Bytes already on the appliance (a partial copy), for the rate. */
  resumeFrom: number;
  signal?: AbortSignal;
  /** Asked once a slot is ours, which may be much later: the target's own plan may have started. */
  stillWanted(): Promise<boolean>;
}

/**
 * The upload itself, inside one fleet-wide slot and under the site's bytes-per-second budget; false if no longer wanted.
 * Exported for the distribution benchmark (scripts/bench/distribution.ts), which times exactly this.
 */
export async function copyWithinLimits(session: SshSession, localPath: string, remote: string, limits: CopyLimits): Promise<boolean> {
  const redis = getSharedRedis("producer");
  const lease = await acquireSemaphore(redis, distributionKeys.uploads(limits.campaignId), limits.config.maxConcurrentUploads, { signal: limits.signal });
  if (!(await limits.stillWanted().catch(() => true))) {
    await lease.release();
    return false;
  }
  const limiter = limits.config.siteBandwidthBytesPerSecond ? createRateLimiter(redis, distributionKeys.site(limits.campaignId, limits.site), limits.config.siteBandwidthBytesPerSecond) : null;
  const idle = new AbortController();
  let lastActivity = Date.now();
  const watchdog = setInterval(() => {
    if (Date.now() - lastActivity > IDLE_LIMIT_MS) idle.abort(new AppError("timeout", `${session.endpoint.host}: the copy made no progress for ${IDLE_LIMIT_MS / 1000} s`));
  }, 5_000);
  const startedAt = Date.now();
  let lastWrite = 0;
  const report = (p: Omit<ItemProgress, "startedAt" | "resumedFrom" | "at" | "done">) => {
    const now = Date.now();
    if (now - lastWrite < PROGRESS_EVERY_MS && p.sent < p.total) return;
    lastWrite = now;
    void recordItemProgress(limits.campaignId, limits.field, { ...p, startedAt, resumedFrom: limits.resumeFrom, at: now, done: false }).catch(() => undefined);
  };
  try {
    await session.upload(localPath, remote, {
      resume: true,
      signal: AbortSignal.any([lease.lost, idle.signal, ...(limits.signal ? [limits.signal] : [])]),
      beforeWrite: limiter
        ? (bytes, signal) => {
            lastActivity = Date.now();
            return limiter.take(bytes, signal);
          }
        : undefined,
      onProgress: (sent, total) => {
        lastActivity = Date.now();
        report({ sent, total });
      },
    });
  } finally {
    clearInterval(watchdog);
    await lease.release();
  }
  return true;
}

/** The same check as the plan's verify step: a copy that hashes wrong is removed and sent again. */
async function verifyCopy(session: SshSession, remote: string, item: DistributionArchive) {
  const actual = await sha256OfRemoteFile(session, remote);
  if (actual === item.sha256) return;
  await session.remove(remote);
  throw new AppError("appliance-error", `${session.endpoint.host}: the copy of ${item.fileName} hashed to ${actual}, not ${item.sha256}; it was removed and is sent again`, { retry: true });
}

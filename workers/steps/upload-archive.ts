// [U6] Copy the archive into ksadmin's home over SFTP, resuming a partial copy. Observes first:
// a file of the right size already there is left alone (verify-upload checks its hash).
import fs from "node:fs";
import { AppError } from "@/lib/errors";
import { undeployableReason } from "@/lib/archives/deployable";
import type { StepContext, StepOutcome } from "../step-context";
import { hopOf, remoteArchivePath, withSsh } from "./helpers";

export async function uploadArchive(ctx: StepContext): Promise<StepOutcome> {
  const hop = hopOf(ctx);
  const archive = await ctx.db.archive.findUniqueOrThrow({ where: { id: hop.archiveId } });
  if (archive.status !== "verified" || !archive.storedPath || !fs.existsSync(archive.storedPath)) {
    throw new AppError("precondition-failed", `Archive ${archive.fileName} is not a verified file on the console (status ${archive.status}); upload it again.`);
  }
  // Last line of defence: not a byte of a file ks_upgrade.sh would refuse (lib/archives/deployable.ts).
  const undeployable = undeployableReason(archive);
  if (undeployable) throw new AppError("precondition-failed", undeployable);
  const remote = remoteArchivePath(hop);
  return withSsh(ctx, async (session) => {
    const existing = await session.stat(remote);
    if (existing && existing.size === hop.sizeBytes) {
      ctx.log(`${remote} is already on the appliance with the expected size; its hash is checked next.`);
      return { state: "skipped", outcome: "already uploaded" };
    }
    const startedAt = Date.now();
    ctx.log(`uploading ${archive.fileName} (${hop.sizeBytes} bytes) to ${remote}${existing ? `, resuming from ${existing.size} bytes` : ""}`);
    const result = await session.upload(archive.storedPath!, remote, {
      resume: true,
      signal: ctx.signal,
      onProgress: (sent, total) => {
        const seconds = (Date.now() - startedAt) / 1000;
        const rate = seconds > 0 ? (sent - (existing?.size ?? 0)) / seconds : 0;
        ctx.progress({ sent, total, startedAt, rate, etaSeconds: rate > 0 ? (total - sent) / rate : null, done: sent >= total });
      },
    });
    const seconds = Math.max(0.001, (Date.now() - startedAt) / 1000);
    const mbps = ((result.bytes - result.resumedFrom) / seconds / 1e6).toFixed(1);
    return { state: "succeeded", outcome: `uploaded ${result.bytes} bytes${result.resumedFrom ? ` (resumed at ${result.resumedFrom})` : ""} in ${seconds.toFixed(1)} s, ${mbps} MB/s` };
  });
}

// [U4][O5] A backup with its key, downloaded off the appliance, for the version it runs now. The
// one confirmed before launch serves the first hop; a later hop takes a fresh one [U5].
import { SYSTEM_ACTOR } from "@/lib/audit/append-audit-event";
import { takeBackup } from "@/lib/plans/confirm-backup";
import type { StepContext, StepOutcome } from "../step-context";
import { restOf } from "./helpers";

export async function backup(ctx: StepContext): Promise<StepOutcome> {
  const applianceId = ctx.step.applianceId ?? ctx.plan.applianceId;
  const info = await (await restOf(ctx)).systemInfo();
  const existing = await ctx.db.backupConfirmation.findFirst({ where: { planId: ctx.plan.id, applianceId, applianceVersion: info.version }, orderBy: { confirmedAt: "desc" } });
  if (existing) return { state: "skipped", outcome: `backup ${existing.remoteBackupId ?? existing.id} of ${info.version} already downloaded (sha256 ${existing.backupSha256?.slice(0, 16)}…)` };
  const row = await takeBackup(ctx.db, SYSTEM_ACTOR, ctx.plan.id, applianceId, ctx.signal);
  return { state: "succeeded", outcome: `backup ${row.remoteBackupId} of ${info.version} and its key downloaded` };
}

// [D6] Factory reset and restore, each sent once: the request is recorded on the step first, and a
// re-run that finds the record observes instead of asking again.
import { AppError } from "@/lib/errors";
import type { StepContext, StepOutcome } from "../step-context";
import { restOf } from "./helpers";

export async function factoryReset(ctx: StepContext): Promise<StepOutcome> {
  const observed = (ctx.step.observed ?? {}) as { resetSentAt?: string };
  if (observed.resetSentAt) return { state: "skipped", outcome: `factory reset already requested at ${observed.resetSentAt}` };
  const rest = await restOf(ctx);
  await ctx.observe({ resetSentAt: new Date().toISOString() });
  await rest.factoryReset();
  ctx.log("POST factory reset accepted: the appliance resets and restarts");
  return { state: "succeeded", outcome: "factory reset requested; the appliance restarts" };
}

export async function restoreBackup(ctx: StepContext): Promise<StepOutcome> {
  const observed = (ctx.step.observed ?? {}) as { restoreSentAt?: string };
  if (observed.restoreSentAt) return { state: "skipped", outcome: `restore already requested at ${observed.restoreSentAt}` };
  const chosen = (ctx.plan.nodes as { restoreBackupId?: string }[])[0]?.restoreBackupId;
  const row = chosen ? await ctx.db.backupConfirmation.findUnique({ where: { id: chosen } }) : null;
  if (!row?.remoteBackupId) throw new AppError("precondition-failed", "The plan names no backup the appliance holds; create a new plan and choose one.");
  const rest = await restOf(ctx);
  await ctx.observe({ restoreSentAt: new Date().toISOString() });
  await rest.restoreBackup(row.remoteBackupId);
  ctx.log(`restore of backup ${row.remoteBackupId} (made on ${row.applianceVersion}) accepted`);
  return { state: "succeeded", outcome: `backup ${row.remoteBackupId} of ${row.applianceVersion} restored` };
}

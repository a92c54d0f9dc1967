// [U8] Run the vendor script. It must never run twice on a node for one plan hop: the start is
// recorded before the script is launched, and a re-run that finds that record observes instead.
import { AppError } from "@/lib/errors";
import { runUpgrade as runUpgradeScript } from "@/lib/appliance/commands";
import { parseVersion, sameVersion } from "@/lib/domain/version";
import { appendPlanEvent } from "@/lib/events/plan-events";
import type { StepContext, StepOutcome } from "../step-context";
import { hopOf, readVersion, remoteArchivePath, withSsh } from "./helpers";

export async function runUpgrade(ctx: StepContext): Promise<StepOutcome> {
  const hop = hopOf(ctx);
  const target = parseVersion(hop.version)!;
  const info = await readVersion(ctx);
  const current = parseVersion(info.version);
  if (current && sameVersion(current, target)) return { state: "skipped", outcome: `already on ${info.version}: not upgraded again` };
  const observed = (ctx.step.observed ?? {}) as { scriptStartedAt?: string; scriptSucceeded?: boolean; scriptExitCode?: number | null };
  if (observed.scriptSucceeded) return { state: "succeeded", outcome: "the script had already succeeded; reboot pending" };
  // An earlier run that exited with a status has a known outcome: the operator who resumed may run it again.
  if (observed.scriptStartedAt && typeof observed.scriptExitCode !== "number") {
    throw new AppError("appliance-error", `ks_upgrade.sh was started at ${observed.scriptStartedAt} by an earlier attempt whose outcome is unknown, and the appliance still reports ${info.version}. It is never run twice automatically: check the appliance's ks_upgrade log, then decide.`);
  }
  const remote = remoteArchivePath(hop);
  await warnBeforeFirstClusterNode(ctx);
  return withSsh(ctx, async (session) => {
    await ctx.observe({ scriptStartedAt: new Date().toISOString(), scriptExitCode: null });
    ctx.log(`$ sudo /opt/keysecure/ks_upgrade.sh -f ${remote}${hop.forceFlag ? " -o" : ""}`);
    const result = await runUpgradeScript(session, remote, { override: hop.forceFlag, signal: ctx.signal, onLine: (line) => ctx.log(line) });
    if (!result.succeeded) {
      if (result.exitCode !== null) await ctx.observe({ scriptExitCode: result.exitCode });
      throw new AppError("appliance-refused", `ks_upgrade.sh exited ${result.exitCode ?? "without status"}: ${result.lastLines.slice(-3).join(" / ") || "no output"}`);
    }
    await ctx.observe({ scriptSucceeded: true, rebootRequested: result.rebootRequested });
    return { state: "succeeded", outcome: `Upgrade to ${result.targetVersion ?? hop.version} succeeded${result.rebootRequested ? "; reboot requested" : ""}` };
  });
}

/** [O3][O8] Said when it matters: the first node of a cluster locks the shared database. */
async function warnBeforeFirstClusterNode(ctx: StepContext): Promise<void> {
  if (!ctx.plan.clusterId || ctx.plan.method !== "online-rolling") return;
  const first = await ctx.db.step.findFirst({ where: { planId: ctx.plan.id, kind: "run-upgrade", hop: ctx.step.hop }, orderBy: { position: "asc" }, select: { id: true } });
  if (first?.id !== ctx.step.id) return;
  const text = "The first node is upgrading: the cluster's shared database is locked for up to 30 seconds and its schema is updated. Every node may answer errors or respond slowly meanwhile [O3][O8].";
  ctx.log(`WARNING: ${text}`);
  await appendPlanEvent(ctx.db, ctx.plan.id, { type: "warning", stepKey: ctx.step.key, data: { ruleIds: ["O3", "O8"], text } });
}

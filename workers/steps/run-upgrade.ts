// [U8] Run the vendor script. It must never run twice on a node for one plan hop: the start is
// recorded before the script is launched, and a re-run that finds that record observes instead.
import { runUpgrade as runUpgradeScript } from "@/lib/appliance/commands";
import { parseVersion, sameVersion } from "@/lib/domain/version";
import { appendPlanEvent } from "@/lib/events/plan-events";
import type { StepContext, StepOutcome } from "../step-context";
import { hopOf, readVersion } from "./helpers";
import { runFirmwareOnce } from "./firmware-once";

export async function runUpgrade(ctx: StepContext): Promise<StepOutcome> {
  const hop = hopOf(ctx);
  const target = parseVersion(hop.version)!;
  const info = await readVersion(ctx);
  const current = parseVersion(info.version);
  if (current && sameVersion(current, target)) return { state: "skipped", outcome: `already on ${info.version}: not upgraded again` };
  await warnBeforeFirstClusterNode(ctx);
  const result = await runFirmwareOnce(ctx, "ks_upgrade.sh", runUpgradeScript, info.version);
  if (result === "already-succeeded") return { state: "succeeded", outcome: "the script had already succeeded; reboot pending" };
  return { state: "succeeded", outcome: `Upgrade to ${result.targetVersion ?? hop.version} succeeded${result.rebootRequested ? "; reboot requested" : ""}` };
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

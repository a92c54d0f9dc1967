// Prechecks again at the moment of acting (and between hops): the world may have moved since the
// operator looked. Any failure stops the plan before the appliance is touched.
import { AppError } from "@/lib/errors";
import { evaluatePlanPrechecks } from "@/lib/plans/evaluate-prechecks";
import type { StepContext, StepOutcome } from "../step-context";

export async function precheck(ctx: StepContext): Promise<StepOutcome> {
  // A node's precheck judges that node, and observes only it; the plan's precheck judges everything
  // (e.g. all nodes ready [O6]). The plan-wide checks of a node's evaluation saw one node: dropped.
  const node = ctx.step.applianceId && ctx.plan.clusterId ? ctx.step.applianceId : undefined;
  const all = await evaluatePlanPrechecks(ctx.db, ctx.plan.id, undefined, { applianceId: node });
  let results = node ? all.filter((p) => p.applianceId === node) : all;
  // Remove/rebuild prechecks each node after it left the cluster [R6]: it is unclustered by design then.
  if (ctx.step.applianceId && ctx.plan.method === "remove-rebuild") results = results.filter((p) => p.id !== "node-status");
  for (const p of results) ctx.log(`${p.status.toUpperCase()} ${p.id}: ${p.summary} [${p.evidence}]`);
  const failing = results.filter((p) => p.status === "fail" && p.id !== "backup");
  if (failing.length) {
    throw new AppError("precheck-failed", failing.map((p) => `${p.summary}${p.remedy ? ` ${p.remedy}` : ""}`).join(" "));
  }
  return { state: "succeeded", outcome: `${results.length} prechecks: ${results.filter((p) => p.status === "warn").length} warnings, no failure` };
}

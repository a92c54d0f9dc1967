// The fixes the seed names for a failed precheck, offered by the console and applied only when an
// operator confirms: turn off database audit records on one node [F8]; remove an obsolete node
// [O6][F5]. Waiting for a joining node is not a fix to apply: the prechecks are simply run again.
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { appendAuditEvent, type Actor } from "@/lib/audit/append-audit-event";
import { createRestClient } from "@/lib/appliance/rest-client";
import { loadApplianceAccess } from "@/lib/fleet/appliance-access";
import { runPrechecks } from "@/lib/plans/run-prechecks";
import { abortPlan } from "@/lib/plans/control-plan";

export const FixSchema = z.discriminatedUnion("fix", [
  z.object({ fix: z.literal("disable-audit-records") }),
  z.object({ fix: z.literal("remove-obsolete-node"), applianceId: z.string().uuid() }),
]);

export async function applyFix(db: Db, actor: Actor, planId: string, input: z.infer<typeof FixSchema>) {
  const plan = await db.upgradePlan.findUniqueOrThrow({ where: { id: planId } });
  if (!["draft", "prechecked", "ready"].includes(plan.state)) throw new AppError("conflict", `The plan is ${plan.state}; fixes are applied before launch.`);
  const access = await loadApplianceAccess(db, plan.applianceId);
  const rest = createRestClient(access.endpoint, access.credentials, access.trust);
  if (input.fix === "disable-audit-records") {
    const before = await rest.getProperty("ENABLE_RECORDS_DB_STORE");
    if (before === null) throw new AppError("precondition-failed", "This release has no ENABLE_RECORDS_DB_STORE property: nothing to turn off.");
    await rest.setProperty("ENABLE_RECORDS_DB_STORE", "false");
    await appendAuditEvent(db, { actor, action: "fix-applied", subjectType: "plan", subjectId: planId, data: { fix: input.fix, before: before.value, node: plan.applianceId } });
  }
  if (input.fix === "remove-obsolete-node") {
    const node = await db.appliance.findUniqueOrThrow({ where: { id: input.applianceId } });
    if (node.id === plan.applianceId) throw new AppError("bad-input", "The entry node cannot remove itself; choose another entry node.");
    const listed = (await rest.nodes()).find((n) => n.nodeID === node.clusterNodeId);
    if (!listed) throw new AppError("conflict", `${node.name} is not in the cluster's node list any more.`);
    if (listed.status.code === "r") throw new AppError("precondition-failed", `${node.name} is ready; only an obsolete node (removed, or not coming back) is removed by this fix.`);
    await rest.removeNode(listed.nodeID);
    await db.$transaction(async (tx) => {
      await tx.appliance.update({ where: { id: node.id }, data: { clusterId: null, clusterNodeId: null } });
      await appendAuditEvent(tx, { actor, action: "fix-applied", subjectType: "plan", subjectId: planId, data: { fix: input.fix, node: node.name, nodeId: listed.nodeID, status: listed.status } });
    });
    // The plan's steps were compiled for the old membership: close it rather than run a stale plan.
    await abortPlan(db, actor, planId, `${node.name} was removed from the cluster as obsolete; create a new plan for the remaining nodes.`);
    return [];
  }
  return runPrechecks(db, actor, planId);
}

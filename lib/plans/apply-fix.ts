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

export const FixSchema = z.discriminatedUnion("fix", [
  z.object({ fix: z.literal("disable-audit-records") }),
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
  return runPrechecks(db, actor, planId);
}

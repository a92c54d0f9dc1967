// The checks every chaos run (and any test that breaks things on purpose) ends with: what the
// appliances' own logs show must agree with Postgres, and Postgres must tell the truth.
import type { Db } from "@/lib/db/client";
import type { RecordEntry } from "@/simulator/core/activity-record";

const SCRIPT_START = /\/ks_(upgrade|downgrade)\.sh\b/;
const FINISHED = new Set(["succeeded", "failed", "skipped"]);

/** Starts of the vendor scripts in one appliance's record (each command entry is one start). */
export function countScriptStarts(record: readonly RecordEntry[]): number {
  return record.filter((e) => e.channel === "ssh" && SCRIPT_START.test(e.what)).length;
}

export interface InvariantInput {
  planIds: string[];
  /** Each appliance's record by appliance id, as the simulator kept it. */
  records: Map<string, readonly RecordEntry[]>;
}

/** Every violation found, as sentences; an empty list means the run was clean. */
export async function checkInvariants(db: Db, input: InvariantInput): Promise<string[]> {
  const violations: string[] = [];
  const plans = await db.upgradePlan.findMany({ where: { id: { in: input.planIds } }, include: { steps: true } });
  const scriptSteps = new Map<string, number>();
  for (const plan of plans) {
    for (const s of plan.steps) {
      // Only a launched plan's hops allow a start: a plan that lost a launch race must not raise the allowance.
      if ((s.kind === "run-upgrade" || s.kind === "run-downgrade") && s.applianceId && plan.launchedAt) scriptSteps.set(s.applianceId, (scriptSteps.get(s.applianceId) ?? 0) + 1);
      if (s.state === "running" && (!s.leaseUntil || s.leaseUntil < new Date())) violations.push(`plan ${plan.id}: step ${s.key} is running without a live lease`);
      if (s.state === "running" && plan.state !== "running") violations.push(`plan ${plan.id} is ${plan.state} while step ${s.key} is running`);
    }
    violations.push(...judgePlanState(plan));
    const audited = await db.auditEvent.findMany({ where: { subjectType: "plan", subjectId: plan.id, action: { in: ["step-succeeded", "step-failed", "step-skipped"] } }, select: { action: true, data: true } });
    const seen = new Set(audited.map((a) => `${a.action} ${String((a.data as { step?: string } | null)?.step)}`));
    for (const s of plan.steps) {
      if (FINISHED.has(s.state) && !seen.has(`step-${s.state} ${s.key}`)) violations.push(`plan ${plan.id}: step ${s.key} is ${s.state} but the audit trail has no step-${s.state} for it`);
    }
  }
  // One script start per hop: an appliance may show no more starts than its plans have script steps.
  for (const [applianceId, record] of input.records) {
    const starts = countScriptStarts(record);
    const allowed = scriptSteps.get(applianceId) ?? 0;
    if (starts > allowed) violations.push(`appliance ${applianceId}: the firmware script started ${starts} times for ${allowed} hop(s)`);
  }
  return violations;
}

type PlanWithSteps = { id: string; state: string; stateReason: string | null; steps: { key: string; state: string; outcome: string | null }[] };

/** Succeeded means every step finished well; failed names a failed step with its reason; paused says why. */
export function judgePlanState(plan: PlanWithSteps): string[] {
  const out: string[] = [];
  if (plan.state === "succeeded" && plan.steps.some((s) => s.state !== "succeeded" && s.state !== "skipped")) out.push(`plan ${plan.id} succeeded with unfinished steps`);
  if (plan.state === "failed") {
    const failed = plan.steps.filter((s) => s.state === "failed");
    if (failed.length === 0) out.push(`plan ${plan.id} failed but no step is failed`);
    if (failed.some((s) => !s.outcome)) out.push(`plan ${plan.id}: a failed step has no reason`);
    if (!plan.stateReason) out.push(`plan ${plan.id} failed without a reason`);
  }
  if (plan.state === "paused" && !plan.stateReason) out.push(`plan ${plan.id} paused without a reason`);
  if (plan.state === "running") out.push(`plan ${plan.id} is still running after the run ended`);
  return out;
}

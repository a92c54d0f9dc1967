// Whether a plan made by a campaign must stop after its current node: its campaign was aborted.
// Read by lib/plans/advance-plan.ts each time it moves the plan on.
import type { Db } from "@/lib/db/client";

export async function campaignStopRequest(db: Db, campaignTargetId: string): Promise<string | null> {
  const target = await db.campaignTarget.findUnique({ where: { id: campaignTargetId }, select: { campaign: { select: { state: true, name: true, stateReason: true } } } });
  if (target?.campaign.state !== "aborted") return null;
  return `campaign ${target.campaign.name} was aborted${target.campaign.stateReason ? ` (${target.campaign.stateReason})` : ""}`;
}

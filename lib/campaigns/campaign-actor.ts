// Who acts when the campaign driver makes, backs up and launches a target's plan: the system,
// named after the campaign so the plan's history and the audit trail say where it came from.
import type { Actor } from "@/lib/audit/append-audit-event";

export function campaignActor(campaign: { name: string }): Actor {
  return { type: "system", id: null, name: `campaign ${campaign.name}` };
}

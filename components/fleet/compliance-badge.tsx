import { Badge } from "@/components/ui/badge";
import { COMPLIANCE_TEXT, type Compliance } from "@/lib/domain/compliance";

export const COMPLIANCE_TONE: Record<Compliance, "red" | "amber" | "blue" | "green" | "gray"> = {
  unreachable: "red", mixed: "amber", behind: "amber", ahead: "blue", "up-to-date": "green", "no-golden": "gray",
};

/** The verdict, with the reason in the tooltip and for screen readers. */
export function ComplianceBadge({ compliance, reason }: { compliance: Compliance; reason: string }) {
  return (
    <span title={reason} data-testid="compliance" data-compliance={compliance}>
      <Badge tone={COMPLIANCE_TONE[compliance]}>{COMPLIANCE_TEXT[compliance].label}</Badge>
      <span className="sr-only"> ({reason})</span>
    </span>
  );
}

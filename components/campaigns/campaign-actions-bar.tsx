"use client";
// The campaign's controls: only those that apply, each disabled one with its reason in words, and
// every refusal from the server shown as it said it.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "@/components/api";
import { buttonClass, ErrorNote, secondaryButtonClass } from "@/components/ui/panel";
import type { ActionOffer } from "./campaign-actions";
import type { DryRunView } from "./campaign-types";

export function CampaignActionsBar({ id, offers }: { id: string; offers: ActionOffer[] }) {
  const qc = useQueryClient();
  const run = useMutation({
    mutationFn: async (o: ActionOffer) => {
      const post = (path: string, body: unknown = {}) => api<unknown>(`/api/campaigns/${id}/${path}`, { method: "POST", json: body });
      switch (o.key) {
        case "dry-run": return qc.setQueryData(["campaign-dry-run", id], await post("dry-run") as DryRunView);
        case "pause": {
          const reason = window.prompt("Why pause? Nothing new starts; running targets go on to their end. (optional)");
          return reason === null ? null : post("pause", { reason });
        }
        case "abort": {
          const reason = window.prompt("Why abort? Nothing new starts; running plans finish their current node and stop.");
          return reason ? post("abort", { reason }) : null;
        }
        case "approve": {
          const comment = window.prompt(`Comment for approving this wave (optional)`);
          return comment === null ? null : post(`waves/${o.waveIndex}/approve`, { comment });
        }
        default: return post(o.key);
      }
    },
    onSettled: () => qc.invalidateQueries({ queryKey: ["campaign", id] }),
  });
  const reasons = offers.flatMap((o) => (o.disabledReason ? [o.disabledReason] : []));
  if (offers.length === 0 && !run.error) return null;
  return (
    <div className="space-y-2">
      <div className="flex flex-wrap gap-2" role="toolbar" aria-label="Campaign controls">
        {offers.map((o) => (
          <button key={o.key} type="button" className={o.primary ? buttonClass : secondaryButtonClass} disabled={o.disabledReason !== null || run.isPending}
            aria-describedby={o.disabledReason ? `why-${o.key}` : undefined} onClick={() => run.mutate(o)}>
            {run.isPending && run.variables?.key === o.key ? pendingLabel(o) : o.label}
          </button>
        ))}
      </div>
      {reasons.length > 0 && (
        <ul className="list-disc pl-6 text-sm text-amber-900 dark:text-amber-200" aria-label="Why some controls are disabled">
          {offers.filter((o) => o.disabledReason).map((o) => <li key={o.key} id={`why-${o.key}`}>{o.disabledReason}</li>)}
        </ul>
      )}
      <ErrorNote error={run.error} />
    </div>
  );
}

function pendingLabel(o: ActionOffer): string {
  return o.key === "dry-run" ? "Reading appliances (read-only)..." : o.key === "launch" ? "Launching..." : `${o.label}...`;
}

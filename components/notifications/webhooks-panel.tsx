"use client";
// Webhooks for admins: each with its URL, format, events and latest deliveries (state, status,
// error); send a test, enable or disable, delete; and a form to add one, whose signing secret is
// shown once, right after it is created.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api } from "@/components/api";
import { Badge, StateBadge } from "@/components/ui/badge";
import { formatTime } from "@/components/ui/format";
import { ErrorNote, Panel, secondaryButtonClass } from "@/components/ui/panel";
import { EVENT_LABELS, type NotificationEvent } from "@/lib/domain/notifications";
import { CreateWebhookForm } from "./create-webhook-form";

interface DeliveryRow { id: string; event: string; state: string; attempts: number; lastStatus: number | null; lastError: string | null; createdAt: string; deliveredAt: string | null }
export interface WebhookRow {
  id: string; name: string; url: string; format: "json" | "chat"; events: NotificationEvent[]; enabled: boolean; createdBy: string; createdAt: string;
  warning: string | null; deliveries: DeliveryRow[]; counts: Partial<Record<"pending" | "delivered" | "failed", number>>;
}

export const FORMAT_LABEL = { json: "Generic JSON", chat: "Chat text (Slack, Teams)" } as const;

export function WebhooksPanel() {
  const list = useQuery({
    queryKey: ["webhooks"],
    queryFn: () => api<WebhookRow[]>("/api/webhooks"),
    // While a call is on its way (or being retried), look often; otherwise now and then.
    refetchInterval: (q) => ((q.state.data ?? []).some((w) => w.deliveries.some((d) => d.state === "pending")) ? 1_000 : 10_000),
  });
  return (
    <>
      <Panel title={`Webhooks (${list.data?.length ?? 0})`}>
        <ErrorNote error={list.error} />
        {list.data?.length === 0 && <p className="text-sm text-slate-500">No webhook yet. Add one below to hear about approvals, starts, failed nodes and finished plans in a chat room or another system.</p>}
        <ul className="space-y-4">
          {list.data?.map((w) => <WebhookItem key={w.id} webhook={w} />)}
        </ul>
      </Panel>
      <CreateWebhookForm />
    </>
  );
}

function WebhookItem({ webhook: w }: { webhook: WebhookRow }) {
  const qc = useQueryClient();
  const onSettled = () => qc.invalidateQueries({ queryKey: ["webhooks"] });
  const test = useMutation({ mutationFn: () => api(`/api/webhooks/${w.id}/test`, { method: "POST", json: {} }), onSettled });
  const toggle = useMutation({ mutationFn: () => api(`/api/webhooks/${w.id}`, { method: "PATCH", json: { enabled: !w.enabled } }), onSettled });
  const remove = useMutation({ mutationFn: () => api(`/api/webhooks/${w.id}`, { method: "DELETE" }), onSettled });
  const [showAll, setShowAll] = useState(false);
  const deliveries = showAll ? w.deliveries : w.deliveries.slice(0, 5);
  return (
    <li className="rounded border border-slate-200 p-3" data-testid={`webhook-${w.name}`} aria-label={`Webhook ${w.name}`}>
      <div className="flex flex-wrap items-center gap-2">
        <h3 className="font-semibold">{w.name}</h3>
        {w.enabled ? <Badge tone="green">enabled</Badge> : <Badge tone="gray">disabled</Badge>}
        <Badge tone="blue">{FORMAT_LABEL[w.format]}</Badge>
        <span className="text-xs text-slate-500">{w.counts.delivered ?? 0} delivered · {w.counts.failed ?? 0} failed · {w.counts.pending ?? 0} pending</span>
        <span className="ml-auto flex gap-2">
          <button type="button" className={secondaryButtonClass} onClick={() => test.mutate()} disabled={test.isPending || !w.enabled} title={w.enabled ? "Sends a test event now" : "Enable the webhook first"}>{test.isPending ? "Sending..." : "Send test"}</button>
          <button type="button" className={secondaryButtonClass} onClick={() => toggle.mutate()} disabled={toggle.isPending}>{w.enabled ? "Disable" : "Enable"}</button>
          <button type="button" className={secondaryButtonClass} onClick={() => { if (window.confirm(`Delete webhook "${w.name}" and its delivery records? Nothing more will be sent to it.`)) remove.mutate(); }} disabled={remove.isPending}>Delete</button>
        </span>
      </div>
      <p className="mono mt-1 break-all text-xs">POST {w.url}</p>
      {w.warning && <p className="mt-1 text-xs text-amber-800" role="note">{w.warning}</p>}
      <p className="mt-1 text-xs text-slate-600">Events: {w.events.map((e) => EVENT_LABELS[e]?.split(" (")[0] ?? e).join(", ")} · added by {w.createdBy} on {formatTime(w.createdAt)}</p>
      {[test, toggle, remove].map((m, i) => <ErrorNote key={i} error={m.error} />)}
      {w.deliveries.length === 0 ? <p className="mt-2 text-xs text-slate-500">Nothing sent yet. Use Send test to try the receiver.</p> : (
      <table className="mt-2 w-full text-left text-xs" aria-label={`Deliveries of ${w.name}`}>
        <thead className="uppercase text-slate-500"><tr><th className="w-48 py-1">When</th><th className="w-28">Event</th><th className="w-24">State</th><th className="w-20">Attempts</th><th>Answer</th></tr></thead>
        <tbody>
          {deliveries.map((d) => (
            <tr key={d.id} className="border-t border-slate-100 align-top" data-testid="delivery" data-state={d.state}>
              <td className="whitespace-nowrap py-1 pr-2">{formatTime(d.createdAt)}</td>
              <td className="pr-2">{d.event}</td>
              <td className="pr-2"><StateBadge state={d.state} /></td>
              <td className="pr-2">{d.attempts}</td>
              <td className={d.state === "failed" ? "text-red-700" : "text-slate-600"}>
                {d.lastStatus !== null ? `HTTP ${d.lastStatus}` : d.attempts === 0 ? "" : "no answer"}
                {d.lastError && <span className="block break-all">{d.lastError}{d.state === "pending" ? " (will retry)" : ""}</span>}
                {d.state === "failed" && <span className="block text-slate-500">Gave up. Check the receiver, then Send test.</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      )}
      {w.deliveries.length > 5 && <button type="button" className="mt-1 text-xs text-sky-700 hover:underline" onClick={() => setShowAll(!showAll)}>{showAll ? "Show fewer" : `Show the last ${w.deliveries.length}`}</button>}
    </li>
  );
}

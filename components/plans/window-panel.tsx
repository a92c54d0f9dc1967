"use client";
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { api } from "@/components/api";
import { StateBadge } from "@/components/ui/badge";
import { formatTime } from "@/components/ui/format";
import { buttonClass, ErrorNote, inputClass, labelClass, Panel, secondaryButtonClass } from "@/components/ui/panel";

export interface WindowView { id: string; state: string; startsAt: string; endsAt: string; reason: string; requestedBy: string; decidedBy: string | null; decisionComment: string | null }

const local = (d: Date) => new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);

/** Downtime needs a window approved by someone else [F2][R2][D5]; shown where the plan is launched. */
export function WindowPanel({ planId, window, canLaunch, onChange }: { planId: string; window: WindowView | null; canLaunch: boolean; onChange(): void }) {
  const [startsAt, setStartsAt] = useState(local(new Date(Date.now() + 3600_000)));
  const [endsAt, setEndsAt] = useState(local(new Date(Date.now() + 3 * 3600_000)));
  const [reason, setReason] = useState("");
  const request = useMutation({ mutationFn: () => api("/api/windows", { method: "POST", json: { planId, startsAt: new Date(startsAt).toISOString(), endsAt: new Date(endsAt).toISOString(), reason } }), onSuccess: onChange });
  const schedule = useMutation({ mutationFn: () => api(`/api/plans/${planId}/launch`, { method: "POST", json: { schedule: true } }), onSuccess: onChange });
  return (
    <Panel title="Maintenance window">
      <p className="mb-2 text-sm text-slate-500">This method takes the service down or wipes data: it runs only inside a window approved by an approver who did not request it.</p>
      {window && (
        <p className="mb-3 text-sm" data-testid="window">
          <StateBadge state={window.state === "approved" ? "ok" : window.state === "rejected" ? "refused" : "pending"} /> {window.state}: {formatTime(window.startsAt)} to {formatTime(window.endsAt)}, requested by {window.requestedBy} ({window.reason})
          {window.decidedBy && <> · {window.state} by {window.decidedBy}{window.decisionComment ? `: ${window.decisionComment}` : ""}</>}
        </p>
      )}
      {(!window || window.state === "rejected" || window.state === "cancelled") && (
        <div className="grid gap-2 md:grid-cols-3">
          <div><label className={labelClass} htmlFor="w-start">Starts</label><input id="w-start" type="datetime-local" className={inputClass} value={startsAt} onChange={(e) => setStartsAt(e.target.value)} /></div>
          <div><label className={labelClass} htmlFor="w-end">Ends</label><input id="w-end" type="datetime-local" className={inputClass} value={endsAt} onChange={(e) => setEndsAt(e.target.value)} /></div>
          <div><label className={labelClass} htmlFor="w-reason">Reason</label><input id="w-reason" className={inputClass} value={reason} onChange={(e) => setReason(e.target.value)} /></div>
          <button type="button" className={secondaryButtonClass} onClick={() => request.mutate()} disabled={request.isPending}>Request this window</button>
        </div>
      )}
      {window?.state === "approved" && canLaunch && new Date(window.startsAt) > new Date() && (
        <button type="button" className={buttonClass} onClick={() => schedule.mutate()}>Start automatically when the window opens</button>
      )}
      <ErrorNote error={request.error} />
      <ErrorNote error={schedule.error} />
    </Panel>
  );
}

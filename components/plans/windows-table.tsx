"use client";
import Link from "next/link";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "@/components/api";
import { StateBadge } from "@/components/ui/badge";
import { formatTime } from "@/components/ui/format";
import { ErrorNote, Panel, secondaryButtonClass } from "@/components/ui/panel";

interface Row { id: string; state: string; startsAt: string; endsAt: string; method: string; reason: string; targetVersion: string; requestedBy: string; decidedBy: string | null; decisionComment: string | null; planId: string; plans: { id: string; appliance: { name: string } }[] }

export function WindowsTable() {
  const qc = useQueryClient();
  const windows = useQuery({ queryKey: ["windows"], queryFn: () => api<Row[]>("/api/windows") });
  const decide = useMutation({
    mutationFn: (v: { id: string; decision: "approve" | "reject" }) => api(`/api/windows/${v.id}/decision`, { method: "POST", json: { decision: v.decision, comment: window.prompt(`Comment for this ${v.decision === "approve" ? "approval" : "rejection"}`) ?? "" } }),
    onSettled: () => qc.invalidateQueries({ queryKey: ["windows"] }),
  });
  return (
    <Panel title="Maintenance windows">
      <ErrorNote error={decide.error} />
      <table className="w-full text-left text-sm">
        <thead className="text-xs uppercase text-slate-500"><tr><th className="py-1">When</th><th>Plan</th><th>Reason</th><th>State</th><th /></tr></thead>
        <tbody>
          {windows.data?.length === 0 && <tr><td colSpan={5} className="py-3 text-slate-500">No window requested yet.</td></tr>}
          {windows.data?.map((w) => (
            <tr key={w.id} className="border-t border-slate-100 align-top dark:border-slate-800">
              <td className="py-1.5 text-xs">{formatTime(w.startsAt)}<br />to {formatTime(w.endsAt)}</td>
              <td><Link className="text-sky-700 hover:underline" href={`/plans/${w.planId}`}>{w.method} to {w.targetVersion}</Link><br /><span className="text-xs text-slate-500">{w.plans[0]?.appliance.name}</span></td>
              <td className="text-xs">{w.reason}<br />requested by {w.requestedBy}</td>
              <td><StateBadge state={w.state === "approved" ? "ok" : w.state === "rejected" ? "refused" : "pending"} /> {w.state}{w.decidedBy && <p className="text-xs text-slate-500">by {w.decidedBy}{w.decisionComment ? `: ${w.decisionComment}` : ""}</p>}</td>
              <td>{w.state === "requested" && <span className="flex gap-2"><button type="button" className={secondaryButtonClass} onClick={() => decide.mutate({ id: w.id, decision: "approve" })}>Approve</button><button type="button" className={secondaryButtonClass} onClick={() => decide.mutate({ id: w.id, decision: "reject" })}>Reject</button></span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Panel>
  );
}

"use client";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { api } from "@/components/api";
import { Badge } from "@/components/ui/badge";
import { formatTime } from "@/components/ui/format";
import { inputClass, Panel, secondaryButtonClass } from "@/components/ui/panel";

interface Row { id: string; at: string; actorType: string; actorName: string; action: string; subjectType: string | null; subjectId: string | null; data: unknown }
type Chain = { ok: true; rows: number } | { ok: false; rows: number; brokenAtId: string; reason: string };

/** The audit trail: filter, export, and check that nobody edited it behind the console's back. */
export function AuditView() {
  const [filter, setFilter] = useState({ actor: "", subject: "", action: "", from: "", to: "" });
  const query = new URLSearchParams(Object.entries(filter).filter(([, v]) => v).map(([k, v]) => [k, k === "from" || k === "to" ? new Date(v).toISOString() : v])).toString();
  const rows = useQuery({ queryKey: ["audit", query], queryFn: () => api<Row[]>(`/api/audit?${query}`) });
  const chain = useQuery({ queryKey: ["audit-chain"], queryFn: () => api<Chain>("/api/audit/verify"), enabled: false });
  const set = (k: keyof typeof filter) => (e: React.ChangeEvent<HTMLInputElement>) => setFilter({ ...filter, [k]: e.target.value });
  return (
    <>
      <Panel title="Integrity" actions={<button type="button" className={secondaryButtonClass} onClick={() => void chain.refetch()}>{chain.isFetching ? "Checking..." : "Verify the hash chain"}</button>}>
        {!chain.data && <p className="text-sm text-slate-500">Every event's hash covers the one before it: an edited or deleted row breaks the chain from there.</p>}
        {chain.data?.ok === true && <p role="status" className="text-sm text-emerald-700">Intact: {chain.data.rows} events, every hash matches.</p>}
        {chain.data?.ok === false && <p role="alert" className="text-sm text-red-700">Broken at event {chain.data.brokenAtId}: {chain.data.reason}</p>}
      </Panel>
      <Panel title="Events" actions={<span className="flex gap-2"><a className={secondaryButtonClass} href={`/api/audit/export?${query}`}>Export CSV</a><a className={secondaryButtonClass} href={`/api/audit/export?format=json&${query}`}>Export JSON</a></span>}>
        <div className="mb-3 grid gap-2 md:grid-cols-5">
          <input aria-label="Actor" placeholder="actor" className={inputClass} value={filter.actor} onChange={set("actor")} />
          <input aria-label="Subject" placeholder="subject id or type" className={inputClass} value={filter.subject} onChange={set("subject")} />
          <input aria-label="Action" placeholder="action" className={inputClass} value={filter.action} onChange={set("action")} />
          <input aria-label="From" type="datetime-local" className={inputClass} value={filter.from} onChange={set("from")} />
          <input aria-label="To" type="datetime-local" className={inputClass} value={filter.to} onChange={set("to")} />
        </div>
        <table className="w-full text-left text-sm">
          <thead className="text-xs uppercase text-slate-500"><tr><th className="py-1">When</th><th>Actor</th><th>Action</th><th>Subject</th><th>Details</th></tr></thead>
          <tbody>
            {rows.data?.map((r) => (
              <tr key={r.id} className="border-t border-slate-100 align-top dark:border-slate-800">
                <td className="py-1 text-xs">{formatTime(r.at)}</td>
                <td className="text-xs">{r.actorName} <Badge tone={r.actorType === "system" ? "gray" : "blue"}>{r.actorType}</Badge></td>
                <td className="mono text-xs">{r.action}</td>
                <td className="mono text-xs">{r.subjectType ? `${r.subjectType} ${r.subjectId?.slice(0, 8) ?? ""}` : "-"}</td>
                <td className="mono max-w-md truncate text-xs" title={JSON.stringify(r.data)}>{JSON.stringify(r.data)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Panel>
    </>
  );
}

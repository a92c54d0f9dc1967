"use client";
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { api } from "@/components/api";
import { buttonClass, ErrorNote, inputClass, Panel } from "@/components/ui/panel";

type Result =
  | { row: number; name: string; outcome: "enrolled"; version: string | null }
  | { row: number; name: string; outcome: "needs-fingerprints"; sshHostKeyFingerprint: string; restCertFingerprint: string }
  | { row: number; name: string; outcome: "refused"; reason: string };

const HEADER = "name,host,sshPort,restUrl,sshIdentity,restUsername,restPassword,sshHostKeyFingerprint,restCertFingerprint";

export function BulkEnrolPanel() {
  const [csv, setCsv] = useState(`${HEADER}\n`);
  const run = useMutation({ mutationFn: () => api<Result[]>("/api/appliances/bulk", { method: "POST", json: { csv } }) });
  return (
    <Panel title="Bulk enrolment from CSV">
      <p className="mb-2 text-sm text-slate-500">One appliance per row. Rows without both fingerprints are only probed: their fingerprints come back below for you to verify and paste in. Nothing is trusted in bulk without them.</p>
      <textarea aria-label="CSV" className={`${inputClass} mono h-32 text-xs`} value={csv} onChange={(e) => setCsv(e.target.value)} />
      <div className="mt-2 flex items-center gap-3">
        <label className="text-sm text-sky-700">Load a file <input type="file" accept=".csv,text/csv" className="hidden" onChange={async (e) => { const f = e.target.files?.[0]; if (f) setCsv(await f.text()); }} /></label>
        <button type="button" className={buttonClass} onClick={() => run.mutate()} disabled={run.isPending}>{run.isPending ? "Enrolling..." : "Enrol rows"}</button>
      </div>
      <ErrorNote error={run.error} />
      {run.data && (
        <table className="mt-3 w-full text-left text-sm" aria-label="Row results">
          <thead className="text-xs uppercase text-slate-500"><tr><th>Row</th><th>Name</th><th>Result</th></tr></thead>
          <tbody>
            {run.data.map((r) => (
              <tr key={r.row} className="border-t border-slate-100 align-top dark:border-slate-800">
                <td className="py-1">{r.row}</td><td>{r.name}</td>
                <td className="text-xs">
                  {r.outcome === "enrolled" && <span className="text-emerald-700">enrolled ({r.version})</span>}
                  {r.outcome === "refused" && <span className="text-red-700">refused: {r.reason}</span>}
                  {r.outcome === "needs-fingerprints" && <span className="text-amber-800">verify and add: <span className="mono">{r.sshHostKeyFingerprint},{r.restCertFingerprint}</span></span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Panel>
  );
}

import Link from "next/link";
import { getDb } from "@/lib/db/client";
import { readHistoryTarget } from "@/lib/plans/read-plans";
import { HistoryTable } from "@/components/plans/history-table";

/** `/history`: every plan; `?appliance=<id>` or `?cluster=<id>`: the plans of one target. */
export default async function HistoryPage({ searchParams }: { searchParams: Promise<{ appliance?: string; cluster?: string }> }) {
  const q = await searchParams;
  const filter = { applianceId: q.appliance, clusterId: q.cluster };
  const target = q.appliance || q.cluster ? await readHistoryTarget(getDb(), filter) : null;
  if ((q.appliance || q.cluster) && !target) {
    return (
      <>
        <h1 className="text-xl font-semibold">History</h1>
        <p role="alert" className="text-sm">No {q.cluster ? "cluster" : "appliance"} {q.cluster ?? q.appliance}: the link is wrong or it was removed. <Link className="text-sky-700 underline" href="/history">Show every plan</Link>.</p>
      </>
    );
  }
  return (
    <>
      <div>
        <h1 className="text-xl font-semibold">{target ? `History of ${target.kind === "cluster" ? `cluster ${target.name}` : target.name}` : "History"}</h1>
        {target && (
          <p className="text-sm text-slate-600">
            {target.detail}.{" "}
            {target.kind === "appliance" ? <Link className="text-sky-700 hover:underline" href={`/appliances/${target.id}`}>Open the appliance</Link> : "Every plan made for the cluster, newest first."}
            {target.kind === "appliance" && target.cluster && <> · <Link className="text-sky-700 hover:underline" href={`/history?cluster=${target.cluster.id}`}>plans of cluster {target.cluster.name}</Link></>}
          </p>
        )}
      </div>
      <HistoryTable filter={filter} />
    </>
  );
}

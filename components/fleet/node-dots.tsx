import type { FleetNodeView } from "@/components/fleet/fleet-types";
import { formatAgo } from "@/components/fleet/relative-time";
import { formatTime } from "@/components/ui/format";

const DOT: Record<string, string> = {
  ok: "bg-emerald-500", unreachable: "bg-red-600", "trust-changed": "bg-red-600 ring-2 ring-red-300", unknown: "bg-slate-400",
};

/** One dot per node, its colour its status; the title says the rest. */
export function NodeDots({ nodes, now }: { nodes: FleetNodeView[]; now: number }) {
  return (
    <ul className="flex flex-wrap items-center gap-1" aria-label="Node states">
      {nodes.map((n) => {
        const title = `${n.name}: ${n.status}${n.statusReason ? ` (${n.statusReason})` : ""} · ${n.version ?? "version unknown"} · last contact ${formatAgo(n.lastContactAt, now)}${n.lastContactAt ? ` (${formatTime(n.lastContactAt)})` : ""}`;
        return (
          <li key={n.id} title={title} className={`inline-block h-3 w-3 rounded-full ${DOT[n.status] ?? DOT.unknown}`}>
            <span className="sr-only">{n.name} {n.status}</span>
          </li>
        );
      })}
    </ul>
  );
}

import { StateBadge } from "@/components/ui/badge";
import { formatDuration } from "@/components/ui/format";
import { Panel } from "@/components/ui/panel";
import { TransferProgress } from "@/components/ui/transfer-progress";
import type { Progress } from "./use-plan-events";
import type { StepView } from "./plan-types";

function duration(s: StepView): string {
  if (!s.startedAt) return "";
  const end = s.finishedAt ? new Date(s.finishedAt).getTime() : Date.now();
  return formatDuration(end - new Date(s.startedAt).getTime());
}

export function StepsPanel({ steps, progress, selected, onSelect }: { steps: StepView[]; progress: Record<string, Progress>; selected: string | null; onSelect(key: string | null): void }) {
  return (
    <Panel title={`Steps (${steps.filter((s) => s.state === "succeeded" || s.state === "skipped").length} of ${steps.length} done)`}>
      <ol className="max-h-[34rem] space-y-1 overflow-auto pr-1" aria-label="Steps">
        {steps.map((s, i) => {
          const p = progress[s.key];
          return (
            <li key={s.id} data-testid={`step-${s.kind}`} data-state={s.state}>
              <button type="button" onClick={() => onSelect(selected === s.key ? null : s.key)} className={`w-full rounded px-2 py-1.5 text-left text-sm hover:bg-slate-50 dark:hover:bg-slate-800 ${selected === s.key ? "bg-sky-50 ring-1 ring-sky-300 dark:bg-sky-950" : ""}`}>
                <div className="flex items-center gap-2">
                  <span className="w-5 text-right text-xs text-slate-500">{i + 1}</span>
                  <StateBadge state={s.state} />
                  <span className="font-medium">{s.title}</span>
                  <span className="ml-auto whitespace-nowrap text-xs text-slate-500">{duration(s)}{s.attempts > 1 ? ` · attempt ${s.attempts}` : ""}</span>
                </div>
                {s.outcome && <p className={`ml-7 mt-0.5 text-xs ${s.state === "failed" ? "text-red-700 dark:text-red-300" : "text-slate-500"}`}>{s.outcome}</p>}
                {s.state === "running" && p && <div className="ml-7 mt-1"><TransferProgress done={p.sent} total={p.total} startedAt={p.startedAt} samples={p.samples} label="Uploading over SFTP" /></div>}
              </button>
            </li>
          );
        })}
      </ol>
    </Panel>
  );
}

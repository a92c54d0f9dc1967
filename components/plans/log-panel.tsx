"use client";
import { useEffect, useMemo, useRef, useState } from "react";
import { inputClass, Panel } from "@/components/ui/panel";
import type { LogLine } from "./use-plan-events";
import type { StepView } from "./plan-types";

/** The log tail: live lines, or the stored output of the selected step; filterable, capped. */
export function LogPanel({ lines, steps, selected }: { lines: LogLine[]; steps: StepView[]; selected: string | null }) {
  const [filter, setFilter] = useState("");
  const box = useRef<HTMLPreElement>(null);
  const stick = useRef(true); // follow the tail until the person scrolls up
  const shown = useMemo(() => {
    const step = steps.find((s) => s.key === selected);
    const source = step ? (lines.some((l) => l.stepKey === step.key) ? lines.filter((l) => l.stepKey === step.key).map((l) => l.line) : step.output.split("\n")) : lines.map((l) => l.line);
    const needle = filter.toLowerCase();
    return (needle ? source.filter((l) => l.toLowerCase().includes(needle)) : source).slice(-500);
  }, [lines, steps, selected, filter]);
  useEffect(() => {
    const el = box.current;
    if (el && stick.current) el.scrollTop = el.scrollHeight;
  }, [shown]);
  const title = selected ? `Log: ${steps.find((s) => s.key === selected)?.title ?? selected}` : "Log (all steps, live)";
  return (
    <Panel title={title} actions={<input aria-label="Filter log" placeholder="filter" className={`${inputClass} w-40`} value={filter} onChange={(e) => setFilter(e.target.value)} />}>
      <pre ref={box} onScroll={(e) => { const el = e.currentTarget; stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < 40; }} data-testid="log-tail" className="mono h-80 overflow-auto whitespace-pre-wrap rounded bg-slate-950 p-3 text-xs text-slate-100">{shown.join("\n") || "(no output yet)"}</pre>
    </Panel>
  );
}

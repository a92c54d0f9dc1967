"use client";
// The log tail: every step's live lines, or the stored output of the selected step. Searchable
// (matches highlighted, optionally only matching lines), and bounded: at most RENDERED lines are in
// the page however long the log grows, so a 100,000-line log never freezes it. It follows the tail
// until the person scrolls up, and says how to get back.
import { useLayoutEffect, useMemo, useRef, useState } from "react";
import { inputClass, Panel, secondaryButtonClass } from "@/components/ui/panel";
import type { LogLine } from "./use-plan-events";
import type { StepView } from "./plan-types";

const RENDERED = 2_000;

interface Row { id: string; text: string }

export function LogPanel({ lines, received, steps, selected, onClearSelection }: { lines: LogLine[]; received: number; steps: StepView[]; selected: string | null; onClearSelection(): void }) {
  const [query, setQuery] = useState("");
  const [onlyMatches, setOnlyMatches] = useState(true);
  const [follow, setFollow] = useState(true);
  const box = useRef<HTMLPreElement>(null);
  // Where the tail-following put the view: only a scroll above it is the person's own.
  const autoTop = useRef(0);
  const step = steps.find((s) => s.key === selected) ?? null;

  const source = useMemo((): Row[] => {
    if (!step) return lines.map((l) => ({ id: String(l.seq), text: l.line }));
    const live = lines.filter((l) => l.stepKey === step.key);
    if (live.length > 0) return live.map((l) => ({ id: String(l.seq), text: l.line }));
    return step.output ? step.output.replace(/\n$/, "").split("\n").map((text, i) => ({ id: `o${i}`, text })) : [];
  }, [lines, step]);

  const needle = query.trim().toLowerCase();
  const matching = useMemo(() => (needle ? source.filter((r) => r.text.toLowerCase().includes(needle)) : source), [source, needle]);
  const shown = (needle && onlyMatches ? matching : source).slice(-RENDERED);
  const total = step ? source.length : received;

  useLayoutEffect(() => {
    const el = box.current;
    if (!el || !follow) return;
    el.scrollTop = el.scrollHeight;
    autoTop.current = el.scrollTop;
  }, [shown, follow]);
  const onScroll = (el: HTMLPreElement) => {
    const atEnd = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
    if (atEnd && !follow) setFollow(true);
    else if (!atEnd && follow && el.scrollTop < autoTop.current - 4) setFollow(false);
  };

  const title = step ? `Log: ${step.title}` : "Log (all steps, live)";
  return (
    <Panel title={title} actions={step ? <button type="button" className={`${secondaryButtonClass} !py-0.5 text-xs`} onClick={onClearSelection}>All steps</button> : undefined}>
      <div className="mb-2 flex flex-wrap items-center gap-3 text-xs">
        <input type="search" aria-label="Search the log" placeholder="Search the log" className={`${inputClass} !w-56`} value={query} onChange={(e) => setQuery(e.target.value)} />
        <label className="flex items-center gap-1"><input type="checkbox" checked={onlyMatches} onChange={(e) => setOnlyMatches(e.target.checked)} /> only matching lines</label>
        {needle && <span data-testid="log-matches" className="text-slate-600 dark:text-slate-400">{matching.length === 0 ? "no line matches" : `${matching.length} matching line${matching.length === 1 ? "" : "s"}`}</span>}
      </div>
      <div className="relative">
        <pre ref={box} data-testid="log-tail" aria-label="Log lines" tabIndex={0}
          onScroll={(e) => onScroll(e.currentTarget)}
          className="mono h-96 overflow-auto whitespace-pre-wrap break-all rounded bg-slate-950 p-3 text-xs leading-5 text-slate-100">
          {shown.length === 0 ? (source.length === 0 ? "(no output yet)" : "(no line matches)") : <Lines rows={shown} needle={needle} />}
        </pre>
        {!follow && (
          <button type="button" className="absolute bottom-3 right-5 rounded bg-sky-700 px-2 py-1 text-xs font-medium text-white shadow hover:bg-sky-800" onClick={() => setFollow(true)}>
            Scrolled up: not following. Jump to the latest line
          </button>
        )}
      </div>
      <p className="mt-1.5 text-xs text-slate-500" data-testid="log-window">
        {needle && total > source.length
          ? `Searching the last ${source.length.toLocaleString()} lines kept (of ${total.toLocaleString()} received).`
          : total > shown.length && !(needle && onlyMatches)
            ? `Showing the last ${shown.length.toLocaleString()} of ${total.toLocaleString()} lines${step ? "" : " received"}.${step ? "" : " Click a step or a segment for that step's stored output."}`
            : `${total.toLocaleString()} line${total === 1 ? "" : "s"}${step ? " stored for this step" : " received"}.`}
      </p>
    </Panel>
  );
}

/** Plain lines go in as one text node each run; only lines with a match become elements. */
function Lines({ rows, needle }: { rows: Row[]; needle: string }) {
  if (!needle) return <>{rows.map((r) => r.text).join("\n")}{"\n"}</>;
  const out: React.ReactNode[] = [];
  let plain: string[] = [];
  for (const r of rows) {
    if (!r.text.toLowerCase().includes(needle)) { plain.push(r.text); continue; }
    if (plain.length) out.push(`${plain.join("\n")}\n`);
    plain = [];
    out.push(<Highlighted key={r.id} text={r.text} needle={needle} />, "\n");
  }
  if (plain.length) out.push(`${plain.join("\n")}\n`);
  return <>{out}</>;
}

function Highlighted({ text, needle }: { text: string; needle: string }) {
  if (!needle) return <>{text}</>;
  const lower = text.toLowerCase();
  const parts: React.ReactNode[] = [];
  let at = 0;
  for (let i = lower.indexOf(needle); i >= 0; i = lower.indexOf(needle, i + needle.length)) {
    parts.push(text.slice(at, i), <mark key={i} className="rounded-sm bg-amber-300 text-slate-950">{text.slice(i, i + needle.length)}</mark>);
    at = i + needle.length;
  }
  parts.push(text.slice(at));
  return <>{parts}</>;
}

"use client";
import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";

export interface PlanEventMessage { seq: number; type: string; stepKey: string | null; data: Record<string, unknown>; at: string }
export interface LogLine { seq: number; stepKey: string | null; line: string }
export interface Progress { sent: number; total: number; startedAt: number; rate: number; etaSeconds: number | null }

const MAX_LINES = 2_000;

/** One EventSource per open plan; the browser resends Last-Event-ID on reconnect, so nothing is lost. */
export function usePlanEvents(planId: string) {
  const qc = useQueryClient();
  const [lines, setLines] = useState<LogLine[]>([]);
  const [progress, setProgress] = useState<Record<string, Progress>>({});
  const [connected, setConnected] = useState(false);
  const [warnings, setWarnings] = useState<{ seq: number; text: string }[]>([]);
  const [lastSeq, setLastSeq] = useState(0);
  const refetchTimer = useRef<ReturnType<typeof setTimeout> | null>(null);

  useEffect(() => {
    const source = new EventSource(`/api/plans/${planId}/events`);
    source.onopen = () => setConnected(true);
    source.onerror = () => setConnected(false);
    source.addEventListener("plan", (ev) => {
      const msg = JSON.parse((ev as MessageEvent<string>).data) as PlanEventMessage;
      setLastSeq(msg.seq);
      if (msg.type === "step-log") {
        setLines((prev) => [...prev, { seq: msg.seq, stepKey: msg.stepKey, line: String(msg.data.line) }].slice(-MAX_LINES));
        return;
      }
      if (msg.type === "warning") {
        setWarnings((prev) => (prev.some((w) => w.seq === msg.seq) ? prev : [...prev, { seq: msg.seq, text: String(msg.data.text) }]));
        return;
      }
      if (msg.type === "step-progress" && msg.stepKey) {
        setProgress((prev) => ({ ...prev, [msg.stepKey!]: msg.data as unknown as Progress }));
        return;
      }
      // State changes: re-read the plan, at most every 300 ms.
      refetchTimer.current ??= setTimeout(() => {
        refetchTimer.current = null;
        void qc.invalidateQueries({ queryKey: ["plan", planId] });
      }, 300);
    });
    return () => source.close();
  }, [planId, qc]);

  return { lines, progress, connected, lastSeq, warnings };
}

"use client";
import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { addSample, type TransferSample } from "@/components/ui/transfer";
import { foldPlanEvent, type BackupProgressState, type PlanFeed } from "./wizard-plan-feed";

export interface PlanEventMessage { seq: number; type: string; stepKey: string | null; data: Record<string, unknown>; at: string }
export interface LogLine { seq: number; stepKey: string | null; line: string }
/** A step's upload as the worker reports it, with the recent samples a current rate needs. */
export interface Progress { sent: number; total: number; startedAt: number; rate: number; etaSeconds: number | null; done?: boolean; samples: TransferSample[] }
export interface LiveWarning { seq: number; text: string; ruleIds: string[]; stepKey: string | null }

/** Lines kept in memory; the log panel draws fewer. Older output stays in each step's stored tail. */
export const MAX_LINES = 5_000;
/**
 * Events arrive in bursts (a reconnect replays thousands), so React hears of them at most a few
 * times a second; the first event after a quiet spell is drawn at once, not a period later.
 */
const FLUSH_MS = 150;
/** State changes re-read the plan at most this often, the first one at once. */
const REFETCH_MS = 300;

/** When a throttled action that last ran at `lastAt` may run next: now after a quiet spell, else one period on. */
export function throttleDelay(lastAt: number, periodMs: number, now: number): number {
  return Math.max(0, lastAt + periodMs - now);
}

interface Feed { lines: LogLine[]; received: number; progress: Record<string, Progress>; warnings: LiveWarning[]; lastSeq: number; backup: BackupProgressState | null }
const EMPTY: Feed = { lines: [], received: 0, progress: {}, warnings: [], lastSeq: 0, backup: null };
const NO_PLAN_FEED: PlanFeed = { nodes: [], prechecksRunning: false, backup: null };

/**
 * One EventSource per open plan; the browser resends Last-Event-ID on reconnect, so nothing is lost.
 * State changes only trigger a re-read of the plan: what every viewer sees comes from the server.
 * The backup's progress comes from the same stream: the plan room opens no second one (a browser
 * has six connections per host, and each stream replays the plan's whole history on opening).
 */
export function usePlanEvents(planId: string) {
  const qc = useQueryClient();
  const [feed, setFeed] = useState<Feed>(EMPTY);
  const [connected, setConnected] = useState(false);

  useEffect(() => {
    setFeed(EMPTY);
    let lines: LogLine[] = [];
    let received = 0;
    let progress: Record<string, Progress> = {};
    const samples: Record<string, TransferSample[]> = {};
    const known: Record<string, Progress> = {};
    let warnings: LiveWarning[] = [];
    let lastSeq = 0;
    let backupFeed = NO_PLAN_FEED;
    let backupChanged = false;
    let flushTimer: ReturnType<typeof setTimeout> | null = null;
    let refetchTimer: ReturnType<typeof setTimeout> | null = null;
    let flushedAt = 0;
    let refetchedAt = 0;
    const flush = () => {
      flushTimer = null;
      flushedAt = Date.now();
      // Taken out before the updater runs: React may call it later, after the next events came in.
      const batch = { lines, count: received, progress, warnings, lastSeq, backup: backupChanged ? backupFeed.backup : undefined };
      backupChanged = false;
      lines = [];
      received = 0;
      progress = {};
      warnings = [];
      setFeed((prev) => {
        const merged = batch.lines.length === 0 ? prev.lines : [...prev.lines, ...batch.lines];
        return {
          lines: merged.length > MAX_LINES ? merged.slice(-MAX_LINES) : merged,
          received: prev.received + batch.count,
          progress: Object.keys(batch.progress).length ? { ...prev.progress, ...batch.progress } : prev.progress,
          warnings: batch.warnings.length ? [...prev.warnings, ...batch.warnings.filter((w) => !prev.warnings.some((p) => p.seq === w.seq))] : prev.warnings,
          lastSeq: Math.max(prev.lastSeq, batch.lastSeq),
          backup: batch.backup === undefined ? prev.backup : batch.backup,
        };
      });
    };
    const later = () => { flushTimer ??= setTimeout(flush, throttleDelay(flushedAt, FLUSH_MS, Date.now())); };

    const source = new EventSource(`/api/plans/${planId}/events`);
    source.onopen = () => setConnected(true);
    source.onerror = () => setConnected(false);
    source.addEventListener("plan", (ev) => {
      const msg = JSON.parse((ev as MessageEvent<string>).data) as PlanEventMessage;
      lastSeq = msg.seq;
      later();
      if (msg.type === "step-log") {
        lines.push({ seq: msg.seq, stepKey: msg.stepKey, line: String(msg.data.line) });
        received++;
        if (lines.length > 2 * MAX_LINES) lines = lines.slice(-MAX_LINES);
        return;
      }
      if (msg.type === "warning") {
        warnings.push({ seq: msg.seq, text: String(msg.data.text), ruleIds: Array.isArray(msg.data.ruleIds) ? msg.data.ruleIds.map(String) : [], stepKey: msg.stepKey });
        return;
      }
      if (msg.type === "step-progress" && msg.stepKey) {
        const data = msg.data as unknown as Omit<Progress, "samples">;
        // Within one attempt the bytes only grow: an older report delivered late never moves the bar back.
        const seen = known[msg.stepKey];
        if (seen && seen.startedAt === data.startedAt && seen.sent > data.sent) return;
        samples[msg.stepKey] = addSample(samples[msg.stepKey] ?? [], { at: Date.parse(msg.at), bytes: Number(data.sent) });
        progress[msg.stepKey] = known[msg.stepKey] = { ...data, samples: samples[msg.stepKey]! };
        return;
      }
      if (msg.type === "backup") {
        backupFeed = foldPlanEvent(backupFeed, msg.type, msg.data, Date.parse(msg.at));
        backupChanged = true;
      }
      // State changes: re-read the plan, at most every REFETCH_MS.
      refetchTimer ??= setTimeout(() => {
        refetchTimer = null;
        refetchedAt = Date.now();
        void qc.invalidateQueries({ queryKey: ["plan", planId] });
      }, throttleDelay(refetchedAt, REFETCH_MS, Date.now()));
    });
    return () => {
      source.close();
      if (flushTimer) clearTimeout(flushTimer);
      if (refetchTimer) clearTimeout(refetchTimer);
    };
  }, [planId, qc]);

  return { ...feed, connected };
}

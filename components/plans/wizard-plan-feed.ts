"use client";
// The progress a plan reports before launch, from its event stream: each node's observation while
// prechecks run, and the phases of a backup (creating, downloading with bytes, done or failed).
import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { addSample, type TransferSample } from "@/components/ui/transfer";

export interface NodeProgress { applianceId: string; name: string; state: "pending" | "running" | "done" | "failed"; detail?: string }
export interface BackupProgressState {
  phase: "creating" | "downloading" | "done" | "failed";
  applianceId: string;
  backupId?: string;
  bytes?: number;
  total?: number | null;
  startedAt?: number;
  at?: number;
  sha256?: string;
  reason?: string;
  samples: TransferSample[];
}
export interface PlanFeed {
  /** The nodes of the latest precheck run, in the order they were announced. */
  nodes: NodeProgress[];
  prechecksRunning: boolean;
  backup: BackupProgressState | null;
}

const EMPTY: PlanFeed = { nodes: [], prechecksRunning: false, backup: null };

/** Folds one plan event into the feed; pure, so a replay from the first event gives the same feed. */
export function foldPlanEvent(feed: PlanFeed, type: string, data: Record<string, unknown>, at: number): PlanFeed {
  if (type === "precheck" && data.phase === "node") {
    const update = { applianceId: String(data.applianceId), name: String(data.name ?? ""), state: data.state as NodeProgress["state"], detail: data.detail === undefined ? undefined : String(data.detail) };
    // A pending announcement after a finished run starts a new run.
    const fresh = update.state === "pending" && !feed.prechecksRunning;
    const nodes = fresh ? [] : feed.nodes;
    const known = nodes.some((n) => n.applianceId === update.applianceId);
    return { ...feed, prechecksRunning: true, nodes: known ? nodes.map((n) => (n.applianceId === update.applianceId ? update : n)) : [...nodes, update] };
  }
  if (type === "precheck") return { ...feed, prechecksRunning: false };
  if (type === "backup") {
    const phase = data.phase as BackupProgressState["phase"];
    const bytes = typeof data.bytes === "number" ? data.bytes : undefined;
    const prev = feed.backup?.phase === "downloading" && phase === "downloading" ? feed.backup.samples : [];
    const sampleAt = typeof data.at === "number" ? data.at : at;
    return {
      ...feed,
      backup: {
        phase, applianceId: String(data.applianceId), backupId: data.backupId as string | undefined, bytes,
        total: (data.total as number | null | undefined) ?? feed.backup?.total ?? null,
        startedAt: (data.startedAt as number | undefined) ?? feed.backup?.startedAt, at: sampleAt,
        sha256: data.sha256 as string | undefined, reason: data.reason as string | undefined,
        samples: phase === "downloading" && bytes !== undefined ? addSample(prev, { at: sampleAt, bytes }) : prev,
      },
    };
  }
  return feed;
}

/** One EventSource for the plan (none while planId is null); other events re-read the plan. */
export function usePlanFeed(planId: string | null): PlanFeed {
  const qc = useQueryClient();
  const [feed, setFeed] = useState<PlanFeed>(EMPTY);
  useEffect(() => {
    setFeed(EMPTY);
    if (!planId) return;
    let refetch: ReturnType<typeof setTimeout> | null = null;
    const source = new EventSource(`/api/plans/${planId}/events`);
    source.addEventListener("plan", (ev) => {
      const msg = JSON.parse((ev as MessageEvent<string>).data) as { type: string; data: Record<string, unknown>; at: string };
      if (msg.type === "step-log" || msg.type === "step-progress") return;
      setFeed((f) => foldPlanEvent(f, msg.type, msg.data, Date.parse(msg.at)));
      refetch ??= setTimeout(() => {
        refetch = null;
        void qc.invalidateQueries({ queryKey: ["plan", planId] });
      }, 300);
    });
    return () => {
      source.close();
      if (refetch) clearTimeout(refetch);
    };
  }, [planId, qc]);
  return feed;
}

/**
 * The id of the plan a running POST /api/plans is creating, found by listing the entry node's
 * plans until one appears that was not in `known` (listed before the POST was sent), so the
 * prechecks taken during creation can be watched per node. null while inactive or not found yet.
 */
export function useNewPlanId(entryId: string | undefined, known: ReadonlySet<string> | null): string | null {
  const [found, setFound] = useState<string | null>(null);
  useEffect(() => {
    setFound(null);
    if (!entryId || !known) return;
    let stop = false;
    void (async () => {
      while (!stop) {
        const res = await fetch(`/api/plans?applianceId=${entryId}`).catch(() => null);
        const list = res?.ok ? ((await res.json()) as { id: string }[]) : [];
        const fresh = list.find((p) => !known.has(p.id));
        if (fresh && !stop) return setFound(fresh.id);
        await new Promise((r) => setTimeout(r, 400));
      }
    })();
    return () => { stop = true; };
  }, [entryId, known]);
  return known ? found : null;
}

export async function listPlanIds(entryId: string | undefined): Promise<Set<string>> {
  if (!entryId) return new Set();
  const res = await fetch(`/api/plans?applianceId=${entryId}`).catch(() => null);
  return new Set(res?.ok ? ((await res.json()) as { id: string }[]).map((p) => p.id) : []);
}

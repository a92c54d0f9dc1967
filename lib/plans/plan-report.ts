// The printable plan report (read model): who created, requested, approved and launched the plan;
// its timeline; the prechecks with their evidence; the backups with sha256 and size; every step
// with its timings, outcome and output tail; and the audit events about the plan. Nothing secret
// leaves it: no backup paths, no sealed key password.
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { lastLines } from "@/lib/appliance/output-tail";

/** Lines of each step's output the report keeps: the end, where the verdict is. */
export const OUTPUT_TAIL_LINES = 25;

export interface TimelineEntry {
  at: Date;
  what: string;
  who: string | null;
  tone: "info" | "good" | "bad";
}

const ms = (from: Date | null, to: Date | null) => (from && to ? to.getTime() - from.getTime() : null);

export async function readPlanReport(db: Db, planId: string) {
  const plan = await db.upgradePlan.findUnique({
    where: { id: planId },
    include: {
      appliance: { select: { id: true, name: true, host: true, model: true, version: true } },
      cluster: { select: { id: true, name: true } },
      steps: { orderBy: { position: "asc" } },
      prechecks: { orderBy: [{ takenAt: "asc" }, { checkId: "asc" }] },
      backups: { omit: { backupPath: true, keyPath: true }, orderBy: { confirmedAt: "asc" } },
    },
  });
  if (!plan) throw new AppError("not-found", `No plan ${planId}: it was never created, or the link is wrong.`);
  const [windows, audit, campaignTarget] = await Promise.all([
    db.maintenanceWindow.findMany({ where: { planId }, orderBy: { requestedAt: "asc" } }),
    db.auditEvent.findMany({ where: { subjectType: "plan", subjectId: planId }, orderBy: { id: "asc" }, take: 2_000 }),
    plan.campaignTargetId ? db.campaignTarget.findUnique({ where: { id: plan.campaignTargetId }, select: { campaign: { select: { id: true, name: true } } } }) : null,
  ]);
  const nodes = plan.nodes as { applianceId: string; name: string; fromVersion?: string | null }[];
  const nodeList = nodes.length ? nodes : [{ applianceId: plan.appliance.id, name: plan.appliance.name, fromVersion: plan.fromVersion }];
  const names = new Map(nodeList.map((n) => [n.applianceId, n.name]));
  const nameOf = (id: string | null) => (id ? names.get(id) ?? id : "whole plan");
  const hops = plan.hops as { hop: number; version: string; archiveId: string; fileName?: string; sha256?: string; sizeBytes?: number }[];
  const archives = await db.archive.findMany({ where: { id: { in: hops.map((h) => h.archiveId) } }, select: { id: true, fileName: true, sha256: true, sizeBytes: true, signerUserId: true, signerFingerprint: true, signedAt: true } });

  const steps = plan.steps.map((s) => {
    const lines = s.output ? lastLines(s.output, Number.MAX_SAFE_INTEGER) : [];
    return {
      key: s.key, title: s.title, kind: s.kind, node: nameOf(s.applianceId), state: s.state, attempts: s.attempts,
      startedAt: s.startedAt, finishedAt: s.finishedAt, durationMs: ms(s.startedAt, s.finishedAt), outcome: s.outcome,
      outputTail: lines.slice(-OUTPUT_TAIL_LINES), outputLines: lines.length,
    };
  });
  return {
    plan: {
      id: plan.id, method: plan.method, state: plan.state, stateReason: plan.stateReason, fromVersion: plan.fromVersion, targetVersion: plan.targetVersion,
      target: plan.cluster ? { kind: "cluster" as const, id: plan.cluster.id, name: plan.cluster.name } : { kind: "appliance" as const, id: plan.appliance.id, name: plan.appliance.name },
      createdBy: plan.createdBy, createdAt: plan.createdAt, prechecksAt: plan.prechecksAt, launchedBy: plan.launchedBy, launchedAt: plan.launchedAt, finishedAt: plan.finishedAt,
      durationMs: ms(plan.launchedAt, plan.finishedAt ?? (plan.state === "failed" ? lastFinish(steps) : null)),
      overrideReason: plan.overrideReason, acknowledgement: plan.acknowledgement, campaign: campaignTarget?.campaign ?? null,
    },
    nodes: nodeList.map((n) => ({ ...n, fromVersion: n.fromVersion ?? null })),
    hops: hops.map((h) => {
      const a = archives.find((x) => x.id === h.archiveId);
      return { hop: h.hop, version: h.version, fileName: a?.fileName ?? h.fileName ?? "(archive removed)", sha256: a?.sha256 ?? h.sha256 ?? null, sizeBytes: a ? Number(a.sizeBytes) : h.sizeBytes ?? null, signer: a?.signerUserId ?? a?.signerFingerprint ?? null, signedAt: a?.signedAt ?? null };
    }),
    windows: windows.map((w) => ({ id: w.id, state: w.state, startsAt: w.startsAt, endsAt: w.endsAt, reason: w.reason, requestedBy: w.requestedBy, requestedAt: w.requestedAt, decidedBy: w.decidedBy, decidedAt: w.decidedAt, decisionComment: w.decisionComment })),
    prechecks: plan.prechecks.map((p) => ({ id: p.id, node: nameOf(p.applianceId), checkId: p.checkId, status: p.status, summary: p.summary, evidence: p.evidence, remedy: p.remedy, ruleIds: p.ruleIds, takenAt: p.takenAt })),
    backups: plan.backups.map((b) => ({
      id: b.id, node: nameOf(b.applianceId), kind: b.kind, remoteBackupId: b.remoteBackupId, applianceVersion: b.applianceVersion,
      backupSha256: b.backupSha256, backupBytes: b.backupBytes === null ? null : Number(b.backupBytes), keySha256: b.keySha256,
      // A downloaded backup's column holds the key's password, sealed: never shown. An attestation is a person's words.
      attestation: b.kind === "attested" && !b.attestation?.startsWith("v1:") ? b.attestation : null, confirmedBy: b.confirmedBy, confirmedAt: b.confirmedAt,
    })),
    steps,
    timeline: buildTimeline(plan, windows, plan.backups, plan.steps, nameOf),
    audit: audit.map((e) => ({ id: String(e.id), at: e.at, actor: e.actorName, actorType: e.actorType, action: e.action, data: readableData(e.data as Record<string, unknown>, plan.steps, nameOf) })),
    generatedAt: new Date(),
  };
}

export type PlanReport = Awaited<ReturnType<typeof readPlanReport>>;

/** An audit event's data with step keys and appliance ids given as the titles and names people know. */
function readableData(data: Record<string, unknown>, steps: { key: string; title: string }[], nameOf: (id: string | null) => string): Record<string, unknown> {
  const out = { ...data };
  const step = steps.find((s) => s.key === data.step);
  if (step) out.step = step.title;
  if (typeof data.applianceId === "string") {
    delete out.applianceId;
    out.node = nameOf(data.applianceId);
  }
  return out;
}

function lastFinish(steps: { finishedAt: Date | null }[]): Date | null {
  const times = steps.flatMap((s) => (s.finishedAt ? [s.finishedAt.getTime()] : []));
  return times.length ? new Date(Math.max(...times)) : null;
}

/** The moments a reader looks for first, oldest first; the steps table has every step. */
function buildTimeline(
  plan: { createdAt: Date; createdBy: string; prechecksAt: Date | null; launchedAt: Date | null; launchedBy: string | null; finishedAt: Date | null; state: string; stateReason: string | null },
  windows: { requestedAt: Date; requestedBy: string; startsAt: Date; endsAt: Date; state: string; decidedAt: Date | null; decidedBy: string | null; decisionComment: string | null }[],
  backups: { confirmedAt: Date; confirmedBy: string; kind: string; applianceId: string }[],
  steps: { title: string; applianceId: string | null; state: string; startedAt: Date | null; finishedAt: Date | null; outcome: string | null }[],
  nameOf: (id: string | null) => string,
): TimelineEntry[] {
  const entries: TimelineEntry[] = [{ at: plan.createdAt, what: "Plan created", who: plan.createdBy, tone: "info" }];
  if (plan.prechecksAt) entries.push({ at: plan.prechecksAt, what: "Prechecks taken (latest)", who: null, tone: "info" });
  for (const b of backups) entries.push({ at: b.confirmedAt, what: `Backup of ${nameOf(b.applianceId)} ${b.kind === "downloaded" ? "downloaded with its key" : "attested"}`, who: b.confirmedBy, tone: "good" });
  for (const w of windows) {
    entries.push({ at: w.requestedAt, what: `Maintenance window requested for ${w.startsAt.toISOString()} to ${w.endsAt.toISOString()}`, who: w.requestedBy, tone: "info" });
    if (w.decidedAt) entries.push({ at: w.decidedAt, what: `Window ${w.state}${w.decisionComment ? `: ${w.decisionComment}` : ""}`, who: w.decidedBy, tone: w.state === "approved" ? "good" : "bad" });
  }
  if (plan.launchedAt) entries.push({ at: plan.launchedAt, what: "Launched", who: plan.launchedBy, tone: "info" });
  const started = steps.filter((s) => s.startedAt).sort((a, b) => a.startedAt!.getTime() - b.startedAt!.getTime());
  const firstOnNode = new Map<string, (typeof started)[number]>();
  for (const s of started) if (s.applianceId && !firstOnNode.has(s.applianceId)) firstOnNode.set(s.applianceId, s);
  if (firstOnNode.size > 1) for (const [id, s] of firstOnNode) entries.push({ at: s.startedAt!, what: `Work began on ${nameOf(id)}: ${s.title}`, who: null, tone: "info" });
  for (const s of steps) if (s.state === "failed" && s.finishedAt) entries.push({ at: s.finishedAt, what: `${s.title} failed on ${nameOf(s.applianceId)}: ${s.outcome ?? ""}`, who: null, tone: "bad" });
  if (plan.finishedAt || plan.state === "failed") {
    const at = plan.finishedAt ?? lastFinish(steps);
    if (at) entries.push({ at, what: `Plan ${plan.state}${plan.stateReason ? `: ${plan.stateReason}` : ""}`, who: null, tone: plan.state === "succeeded" ? "good" : "bad" });
  }
  return entries.sort((a, b) => a.at.getTime() - b.at.getTime());
}

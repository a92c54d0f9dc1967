// Dry run: every check and decision of the campaign, made now, with nothing changed on any
// appliance and no plan made or launched. Stored facts are judged again (path, archives, locks,
// identity, windows); then, unless `observe: false`, each plannable target's nodes are read
// read-only and judged by the prechecks its plan would take (observe-target.ts). The report says,
// per target, what would happen and every reason why.
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { appendAuditEvent, type Actor } from "@/lib/audit/append-audit-event";
import type { PlannedHop, TargetAssessment } from "@/lib/domain/campaign-method";
import { loadReleaseCatalog } from "@/lib/plans/release-catalog";
import { DistributionSchema, PolicySchema, SelectionSchema, WaveConfigSchema } from "@/lib/campaigns/campaign-input";
import { selectTargets, type SelectedTarget } from "@/lib/campaigns/select-targets";
import { assessTargets } from "@/lib/campaigns/assess-targets";
import { observeTargetPrechecks } from "@/lib/campaigns/observe-target";
import { mapLimit } from "@/lib/campaigns/map-limit";

export const DRY_RUN_VERDICTS = ["would-upgrade", "would-fail-prechecks", "needs-window", "unplannable", "already-on-target", "started"] as const;
export type DryRunVerdict = (typeof DRY_RUN_VERDICTS)[number];

export interface DryRunTarget {
  targetId: string;
  name: string;
  kind: string;
  site: string | null;
  wave: number | null;
  waveName: string | null;
  method: string | null;
  fromVersion: string | null;
  state: string;
  verdict: DryRunVerdict;
  reasons: string[];
  notes: string[];
  hops: PlannedHop[];
  missingArchives: string[];
  prechecks: { id: string; status: string; summary: string; node: string | null; remedy: string | null }[];
}

export interface DryRunReport {
  campaignId: string;
  name: string;
  targetVersion: string;
  state: string;
  at: Date;
  /** Whether appliances were read (read-only) for the prechecks. */
  observed: boolean;
  targets: DryRunTarget[];
  waves: { index: number; name: string; canary: boolean; targets: string[]; wouldUpgrade: number; wouldFail: number; approvalRequired: boolean }[];
  summary: Record<DryRunVerdict, number> & { total: number };
  decisions: string[];
}

export async function dryRunCampaign(db: Db, actor: Actor, campaignId: string, opts: { observe?: boolean } = {}): Promise<DryRunReport> {
  const campaign = await db.campaign.findUnique({ where: { id: campaignId }, include: { waves: { orderBy: { index: "asc" } }, targets: { orderBy: { name: "asc" } } } });
  if (!campaign) throw new AppError("not-found", `No campaign ${campaignId}.`);
  const observe = opts.observe ?? true;
  const policy = PolicySchema.parse(campaign.policy);
  const fleet = await selectTargets(db, SelectionSchema.parse({}));
  const current = campaign.targets.map((t) => fleet.find((f) => (t.kind === "cluster" ? f.clusterId === t.clusterId : f.kind === "appliance" && f.applianceId === t.applianceId)) ?? null);
  const present = current.filter((c): c is SelectedTarget => c !== null);
  const fresh = await assessTargets(db, present, campaign.targetVersion, policy);
  const assessmentOf = (i: number): TargetAssessment | null => (current[i] ? fresh[present.indexOf(current[i]!)]! : null);
  const catalog = await loadReleaseCatalog(db);
  const waveName = new Map(campaign.waves.map((w) => [w.index, w.name]));

  const targets = await mapLimit(campaign.targets.map((t, i) => ({ t, now: current[i], a: assessmentOf(i) })), 4, async ({ t, now, a }): Promise<DryRunTarget> => {
    const base: DryRunTarget = {
      targetId: t.id, name: t.name, kind: t.kind, site: t.site, wave: t.wave, waveName: t.wave === null ? null : waveName.get(t.wave) ?? null, method: t.method,
      fromVersion: now?.fromVersion ?? t.fromVersion, state: t.state, verdict: "would-upgrade", reasons: [], notes: [], hops: [], missingArchives: [], prechecks: [],
    };
    if (!["pending", "distributing", "unplannable", "skipped"].includes(t.state)) return { ...base, verdict: "started", reasons: [`Already ${t.state}${t.reason ? `: ${t.reason}` : ""}.`] };
    if (!now || !a) return { ...base, verdict: "unplannable", reasons: [`${t.name} is no longer in the fleet.`] };
    if (t.state === "skipped") return { ...base, verdict: "already-on-target", reasons: [t.reason ?? "Skipped."] };
    if (a.verdict === "already-on-target") return { ...base, verdict: "already-on-target", reasons: a.reasons };
    const detail = { notes: a.notes, hops: a.hops, missingArchives: a.verdict === "plannable" ? [] : a.missingArchives };
    if (t.state === "unplannable") {
      if (a.verdict !== "plannable") return { ...base, ...detail, verdict: a.verdict, reasons: a.reasons };
      return { ...base, ...detail, verdict: "unplannable", reasons: [t.reason ?? "Unplannable when the campaign was created.", `The facts changed since (now plannable with ${a.method}): create the campaign again to include ${t.name}.`] };
    }
    if (a.verdict !== "plannable") return { ...base, ...detail, verdict: a.verdict, reasons: [...a.reasons, "Its start would fail when its wave comes."] };
    if (a.method !== t.method) return { ...base, ...detail, verdict: "unplannable", reasons: [`The campaign chose ${t.method}; now only ${a.method} works (${a.attempts.filter((x) => !x.ok).map((x) => `${x.method}: ${x.reason}`).join(" ")}). Its start would fail: create the campaign again.`] };
    if (!observe) return { ...base, ...detail, reasons: ["Stored facts only: no appliance was read, so the prechecks (disk, services, cluster state) are still to be taken."] };
    const archive = a.hops[0]?.archiveId ? await db.archive.findUnique({ where: { id: a.hops[0].archiveId } }) : null;
    if (!archive) return { ...base, ...detail, verdict: "unplannable", reasons: ["The archive of its first hop is gone."] };
    const nodes = now.nodes.map((n) => ({ applianceId: n.applianceId, name: n.name }));
    try {
      const checks = await observeTargetPrechecks(db, { kind: now.kind, method: a.method, entryId: now.applianceId, nodes }, archive, catalog, campaign.targetVersion);
      const name = (id?: string) => (id ? nodes.find((n) => n.applianceId === id)?.name ?? null : null);
      const prechecks = checks.map((p) => ({ id: p.id, status: p.status, summary: p.summary, node: name(p.applianceId), remedy: p.remedy ?? null }));
      // The backup is taken when the target starts; its check cannot pass before.
      const failing = prechecks.filter((p) => p.status === "fail" && p.id !== "backup");
      if (failing.length) return { ...base, ...detail, prechecks, verdict: "would-fail-prechecks", reasons: failing.map((p) => `${p.node ? `${p.node}: ` : ""}${p.id} failed: ${p.summary}${p.remedy ? ` ${p.remedy}` : ""}`) };
      return { ...base, ...detail, prechecks, reasons: [`${a.method}: ${a.hops.map((h) => h.to).join(" -> ")}; prechecks pass (the backup is taken when it starts).`] };
    } catch (e) {
      return { ...base, ...detail, verdict: "would-fail-prechecks", reasons: [`Could not be observed: ${e instanceof Error ? e.message : String(e)}`] };
    }
  });

  const summary = Object.fromEntries(DRY_RUN_VERDICTS.map((v) => [v, targets.filter((t) => t.verdict === v).length])) as Record<DryRunVerdict, number>;
  const config = WaveConfigSchema.parse(campaign.waveConfig);
  const distribution = DistributionSchema.parse(campaign.distribution);
  const report: DryRunReport = {
    campaignId, name: campaign.name, targetVersion: campaign.targetVersion, state: campaign.state, at: new Date(), observed: observe, targets,
    waves: campaign.waves.map((w) => {
      const inWave = targets.filter((t) => t.wave === w.index);
      return { index: w.index, name: w.name, canary: w.canary, targets: inWave.map((t) => t.name), wouldUpgrade: inWave.filter((t) => t.verdict === "would-upgrade").length, wouldFail: inWave.filter((t) => t.verdict !== "would-upgrade" && t.verdict !== "started").length, approvalRequired: config.approvalBeforeEachWave };
    }),
    summary: { ...summary, total: targets.length },
    decisions: describeDecisions(campaign.waves, targets, config, distribution),
  };
  await appendAuditEvent(db, { actor, action: "campaign-dry-run", subjectType: "campaign", subjectId: campaignId, data: { observed: observe, summary: report.summary, wouldFail: targets.filter((t) => !["would-upgrade", "already-on-target", "started"].includes(t.verdict)).map((t) => ({ name: t.name, verdict: t.verdict })) } });
  return report;
}

/** The campaign-level decisions the run would take with these results: which brake would trip where. */
function describeDecisions(
  waves: { index: number; name: string; canary: boolean }[], targets: DryRunTarget[],
  config: ReturnType<typeof WaveConfigSchema.parse>, distribution: ReturnType<typeof DistributionSchema.parse>,
): string[] {
  const lines = [
    `${waves.length} wave(s), at most ${config.concurrency} target(s) at once in a wave, ${config.soakSeconds} s soak after each.`,
    `Brake: any canary failure, or more than ${config.brake.maxFailures} failure(s) or ${config.brake.maxFailurePercent} % of a wave, halts the campaign.`,
    config.approvalBeforeEachWave ? "An approver other than the creator approves each wave before it starts." : "Waves start without approval.",
    config.autoAdvance ? "The next wave starts when the soak ends." : "An operator advances to each next wave after its soak.",
    distribution.enabled ? `Archives are copied ahead to every target (at most ${distribution.maxConcurrentUploads} uploads at once${distribution.siteBandwidthBytesPerSecond ? `, ${distribution.siteBandwidthBytesPerSecond} B/s per site` : ""}); a target starts once its copies are done.` : "No copies ahead: each plan uploads its archive itself.",
  ];
  for (const w of waves) {
    const inWave = targets.filter((t) => t.wave === w.index);
    const failing = inWave.filter((t) => t.verdict !== "would-upgrade" && t.verdict !== "started");
    if (failing.length === 0) continue;
    const trips = w.canary || failing.length > config.brake.maxFailures || (failing.length * 100) / inWave.length > config.brake.maxFailurePercent;
    lines.push(`${w.name}: ${failing.map((t) => t.name).join(", ")} would fail; ${trips ? "the brake would halt the campaign there, and no later wave would start" : "within the brake: the campaign would go on"}.`);
    if (trips) break;
  }
  return lines;
}

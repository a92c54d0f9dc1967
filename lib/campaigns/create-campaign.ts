// Create a campaign as a draft: the selected targets, each planned from stored facts (method by
// the policy, or unplannable with every reason), and the waves over the plannable ones. Nothing
// is asked of an appliance and no plan is made until the campaign runs.
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { appendAuditEvent, type Actor } from "@/lib/audit/append-audit-event";
import { Prisma } from "@/lib/generated/prisma/client";
import { buildWaves, type Wave } from "@/lib/domain/campaign-waves";
import { formatVersion, parseVersion } from "@/lib/domain/version";
import { CreateCampaignSchema, type CreateCampaignInput } from "@/lib/campaigns/campaign-input";
import { selectTargets } from "@/lib/campaigns/select-targets";
import { assessTargets } from "@/lib/campaigns/assess-targets";

export async function createCampaign(db: Db, actor: Actor, input: CreateCampaignInput) {
  const parsed = CreateCampaignSchema.safeParse(input);
  if (!parsed.success) throw new AppError("bad-input", parsed.error.issues.map((i) => `${i.path.join(".") || "input"}: ${i.message}`).join("; "));
  const c = parsed.data;
  const targetVersion = formatVersion(parseVersion(c.targetVersion)!);
  const targets = await selectTargets(db, c.selection);
  if (targets.length === 0) throw new AppError("precondition-failed", "The selection matches no cluster or standalone appliance: check its tags, versions, models and names against the fleet page.");
  const assessments = await assessTargets(db, targets, targetVersion, c.policy);
  const plannable = targets.filter((_, i) => assessments[i]!.verdict === "plannable");
  let waves: Wave[] = [];
  if (plannable.length) {
    const built = buildWaves(plannable.map((t) => ({ key: t.applianceId, name: t.name, tags: t.tags })), { canary: c.waves.canary, split: c.waves.split });
    if (!built.ok) throw new AppError("bad-input", built.message);
    waves = built.waves;
  }
  const waveOf = new Map(waves.flatMap((w) => w.targetKeys.map((k) => [k, w.index] as const)));
  const rows = targets.map((t, i) => {
    const a = assessments[i]!;
    const common = { kind: t.kind, clusterId: t.clusterId, applianceId: t.applianceId, name: t.name, site: t.site, fromVersion: t.fromVersion };
    if (a.verdict === "plannable") return { ...common, wave: waveOf.get(t.applianceId) ?? null, method: a.method, state: "pending", reason: a.notes.join(" ") || null };
    if (a.verdict === "already-on-target") return { ...common, wave: null, method: null, state: "skipped", reason: a.reasons.join(" ") };
    return { ...common, wave: null, method: a.method, state: "unplannable", reason: a.reasons.join(" ") };
  });
  try {
    return await db.$transaction(async (tx) => {
      const campaign = await tx.campaign.create({
        data: {
          name: c.name, targetVersion, selection: c.selection, policy: c.policy, waveConfig: c.waves, distribution: c.distribution, state: "draft", createdBy: actor.name,
          waves: { create: waves.map((w) => ({ index: w.index, name: w.name, canary: w.canary })) },
          targets: { create: rows },
        },
        include: { waves: { orderBy: { index: "asc" } }, targets: { orderBy: { name: "asc" } } },
      });
      await appendAuditEvent(tx, {
        actor, action: "campaign-created", subjectType: "campaign", subjectId: campaign.id,
        data: {
          name: c.name, targetVersion, selection: c.selection, policy: c.policy, waves: waves.map((w) => ({ name: w.name, targets: w.targetKeys.length })),
          planned: plannable.length, unplannable: rows.filter((r) => r.state === "unplannable").map((r) => r.name), skipped: rows.filter((r) => r.state === "skipped").map((r) => r.name),
        },
      });
      return campaign;
    });
  } catch (e) {
    if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === "P2002") throw new AppError("conflict", `A campaign named ${c.name} already exists: choose another name.`);
    throw e;
  }
}

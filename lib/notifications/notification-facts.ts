// What a notification says, read from Postgres at the moment it is emitted: the plan (target,
// versions, state, link), the failing node, the window or campaign wave that waits for approval.
import type { Db } from "@/lib/db/client";
import type { NotificationEvent, NotificationFacts, PlanFacts } from "@/lib/domain/notifications";

export type NotificationSubject =
  /** `occurrence` tells two happenings apart (a plan that fails, is resumed, and fails again). */
  | { kind: "plan"; planId: string; stepId?: string; occurrence?: string; reason?: string | null }
  | { kind: "window"; windowId: string }
  | { kind: "wave"; campaignId: string; wave: number };

/** The console's address as people reach it; links in notifications point there. */
export function consoleUrl(): string {
  const fromEnv = process.env.FLEET_CONSOLE_URL?.trim();
  return (fromEnv || `http://127.0.0.1:${process.env.PORT ?? 3000}`).replace(/\/+$/, "");
}

/** One delivery per webhook and happening: the same call twice adds nothing. */
export function dedupeKey(event: NotificationEvent, subject: NotificationSubject): string {
  switch (subject.kind) {
    case "plan":
      return [event, subject.planId, subject.occurrence].filter(Boolean).join(":");
    case "window":
      return `${event}:window:${subject.windowId}`;
    case "wave":
      return `${event}:wave:${subject.campaignId}:${subject.wave}`;
  }
}

async function readPlanFacts(db: Db, planId: string): Promise<PlanFacts> {
  const plan = await db.upgradePlan.findUniqueOrThrow({
    where: { id: planId },
    select: { id: true, method: true, fromVersion: true, targetVersion: true, state: true, appliance: { select: { name: true } }, cluster: { select: { name: true } } },
  });
  return {
    id: plan.id, method: plan.method, from: plan.fromVersion, to: plan.targetVersion, state: plan.state,
    target: plan.cluster ? `cluster ${plan.cluster.name}` : plan.appliance.name,
    url: `${consoleUrl()}/plans/${plan.id}`,
  };
}

export async function readNotificationFacts(db: Db, event: NotificationEvent, subject: NotificationSubject, at = new Date()): Promise<NotificationFacts> {
  if (subject.kind === "window") {
    const w = await db.maintenanceWindow.findUniqueOrThrow({ where: { id: subject.windowId } });
    return {
      event, at, plan: await readPlanFacts(db, w.planId),
      approval: { kind: "window", id: w.id, startsAt: w.startsAt, endsAt: w.endsAt, requestedBy: w.requestedBy, reason: w.reason, url: `${consoleUrl()}/windows` },
    };
  }
  if (subject.kind === "wave") {
    const c = await db.campaign.findUniqueOrThrow({ where: { id: subject.campaignId }, select: { name: true, waves: { where: { index: subject.wave }, select: { name: true } } } });
    return {
      event, at,
      approval: { kind: "wave", campaignId: subject.campaignId, campaign: c.name, wave: subject.wave, waveName: c.waves[0]?.name ?? `wave ${subject.wave}`, url: `${consoleUrl()}/campaigns/${subject.campaignId}` },
    };
  }
  const plan = await readPlanFacts(db, subject.planId);
  const facts: NotificationFacts = { event, at, plan, reason: subject.reason ?? null };
  if (subject.stepId) {
    const step = await db.step.findUniqueOrThrow({ where: { id: subject.stepId }, select: { title: true, outcome: true, applianceId: true } });
    const node = step.applianceId ? await db.appliance.findUnique({ where: { id: step.applianceId }, select: { id: true, name: true } }) : null;
    if (node) facts.node = { id: node.id, name: node.name, step: step.title };
    facts.reason ??= step.outcome;
  }
  return facts;
}

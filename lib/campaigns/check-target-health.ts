// During the soak an upgraded target must stay healthy: every node reachable over REST and SSH,
// on the campaign's version, keysecure active (running) [U10]. One read-only look per node; an
// unhealthy target fails (and counts for the brake), and at the soak's end the healthy ones succeed.
import type { Db } from "@/lib/db/client";
import { observeAppliance } from "@/lib/fleet/observe-appliance";
import { isServiceHealthy } from "@/lib/domain/systemctl";
import { parseVersion, sameVersion } from "@/lib/domain/version";
import { withCampaignLock } from "@/lib/campaigns/campaign-lock";
import { mapLimit } from "@/lib/campaigns/map-limit";
import { setTargetState } from "@/lib/campaigns/sync-targets";

export interface TargetHealth {
  healthy: boolean;
  problems: string[];
}

export async function checkTargetHealth(db: Db, target: { applianceId: string; planId: string | null }, targetVersion: string): Promise<TargetHealth> {
  const plan = target.planId ? await db.upgradePlan.findUnique({ where: { id: target.planId }, select: { nodes: true } }) : null;
  const planned = ((plan?.nodes ?? []) as { applianceId: string }[]).map((n) => n.applianceId);
  const ids = planned.length ? planned : [target.applianceId];
  const rows = await db.appliance.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } });
  const want = parseVersion(targetVersion)!;
  const problems = (await Promise.all(ids.map(async (id) => {
    const name = rows.find((r) => r.id === id)?.name ?? id;
    try {
      const o = await observeAppliance(db, id);
      const found: string[] = [];
      if (!o.rest.reachable) found.push(`${name}: the REST API does not answer (${o.rest.error ?? "no answer"})`);
      if (!o.ssh.reachable) found.push(`${name}: SSH does not answer (${o.ssh.error ?? "no answer"})`);
      if (o.rest.reachable && !(o.version && sameVersion(o.version, want))) found.push(`${name} runs ${o.versionText ?? "an unknown version"}, not ${targetVersion}`);
      if (o.ssh.reachable && !isServiceHealthy(o.service)) found.push(`${name}: keysecure is not healthy (${o.service.detail})`);
      return found;
    } catch (e) {
      return [`${name}: ${e instanceof Error ? e.message : String(e)}`];
    }
  }))).flat();
  return { healthy: problems.length === 0, problems };
}

/** Looks at the soaking targets and fails the unhealthy ones; at the soak's end the healthy ones succeed. */
export async function judgeSoakingTargets(db: Db, campaignId: string, d: { waveName: string; ids: string[]; final: boolean }): Promise<void> {
  const campaign = await db.campaign.findUniqueOrThrow({ where: { id: campaignId }, select: { targetVersion: true } });
  const targets = await db.campaignTarget.findMany({ where: { id: { in: d.ids }, state: "soaking" } });
  const results = await mapLimit(targets, 4, (t) => checkTargetHealth(db, t, campaign.targetVersion));
  await withCampaignLock(db, campaignId, async (tx) => {
    for (const [i, t] of targets.entries()) {
      const r = results[i]!;
      const now = await tx.campaignTarget.findUniqueOrThrow({ where: { id: t.id } });
      if (now.state !== "soaking") continue;
      if (!r.healthy) await setTargetState(tx, now, "failed", `Unhealthy during the soak of ${d.waveName}: ${r.problems.join("; ")}.`);
      else if (d.final) await setTargetState(tx, now, "succeeded", null);
    }
  });
}

// Helpers for campaign integration tests: tagged simulated appliances, waiting for a campaign's
// state, and reading from the simulators' own records when each target was upgrading, so a test
// can check the concurrency limit against what the appliances saw.
import type { Db } from "@/lib/db/client";
import type { Actor } from "@/lib/audit/append-audit-event";
import type { SimulatedAppliance } from "@/simulator/appliance";
import type { ApplianceConfig } from "@/simulator/config";
import { startEnrolledAppliance, type EnrolledSimulator } from "@/lib/testing/simulated-appliance";
import { setTags } from "@/lib/campaigns/tags";

export async function startTaggedAppliance(db: Db, dataDir: string, actor: Actor, name: string, tags: string[], config: Partial<ApplianceConfig> = {}): Promise<EnrolledSimulator> {
  const enrolled = await startEnrolledAppliance(db, dataDir, { name, version: "2.10.0+12807", ...config });
  await setTags(db, actor, { kind: "appliance", id: enrolled.applianceId, tags });
  return enrolled;
}

/** Polls until the campaign reaches one of the states; fails with what it last saw. */
export async function waitForCampaignState(db: Db, campaignId: string, states: string[], timeoutMs = 90_000): Promise<string> {
  const end = Date.now() + timeoutMs;
  let last = "";
  while (Date.now() < end) {
    const c = await db.campaign.findUniqueOrThrow({ where: { id: campaignId }, include: { targets: { select: { name: true, state: true } } } });
    last = `${c.state}: ${c.stateReason ?? ""} [${c.targets.map((t) => `${t.name}=${t.state}`).join(", ")}]`;
    if (states.includes(c.state)) return c.state;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`campaign ${campaignId} did not reach ${states.join("/")} within ${timeoutMs} ms; last seen ${last}`);
}

export async function waitFor<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 60_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > end) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

export interface UpgradeSpan {
  target: string;
  start: number;
  end: number;
}

/**
 * When each target was upgrading, from its appliances' records: from the first `ks_upgrade.sh`
 * on any of its nodes to the last node's end of it (the new firmware at boot, or the script's exit
 * when it failed).
 */
export function upgradeSpans(targets: Record<string, readonly SimulatedAppliance[]>): UpgradeSpan[] {
  return Object.entries(targets).flatMap(([target, sims]) => {
    const entries = sims.flatMap((s) => s.record);
    const runs = entries.filter((e) => e.channel === "ssh" && e.what.includes("ks_upgrade.sh"));
    if (runs.length === 0) return [];
    const boots = entries.filter((e) => e.channel === "event" && /^firmware .* \(upgrade\)$/.test(e.what));
    const ends = [...runs.map((r) => (r.endedAt ? Date.parse(r.endedAt) : Date.now())), ...boots.map((b) => Date.parse(b.at))];
    return [{ target, start: Math.min(...runs.map((r) => Date.parse(r.at))), end: Math.max(...ends) }];
  });
}

/** The most spans open at one instant. */
export function peakOverlap(spans: readonly UpgradeSpan[]): number {
  const edges = spans.flatMap((s) => [{ t: s.start, d: 1 }, { t: s.end, d: -1 }]).sort((a, b) => a.t - b.t || a.d - b.d);
  let open = 0;
  let peak = 0;
  for (const e of edges) peak = Math.max(peak, (open += e.d));
  return peak;
}

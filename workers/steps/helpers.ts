// Shared by step handlers: which hop and archive a step is about, where the archive lives on the
// appliance, and an SSH session that is always closed.
import path from "node:path";
import { z } from "zod";
import { AppError } from "@/lib/errors";
import { openSshSession, type SshSession } from "@/lib/appliance/ssh-session";
import { dropSshSessions, withPooledSsh } from "@/lib/appliance/ssh-pool";
import type { RestClient } from "@/lib/appliance/rest-client";
import { dropRestClients, sharedRestClient } from "@/lib/appliance/rest-pool";
import { probeAppliance } from "@/lib/appliance/probe";
import { isAppError } from "@/lib/errors";
import type { ApplianceEndpoint } from "@/lib/appliance/types";
import type { StepContext } from "../step-context";

export const PlanHopSchema = z.object({
  hop: z.number().int().min(1),
  version: z.string(),
  archiveId: z.string().uuid(),
  fileName: z.string(),
  sha256: z.string(),
  sizeBytes: z.number(),
  forceFlag: z.boolean().default(false),
  direction: z.enum(["upgrade", "downgrade"]).default("upgrade"),
});
export type PlanHop = z.infer<typeof PlanHopSchema>;

export function hopOf(ctx: StepContext): PlanHop {
  const hops = z.array(PlanHopSchema).parse(ctx.plan.hops);
  const hop = hops.find((h) => h.hop === (ctx.step.hop || 1));
  if (!hop) throw new AppError("internal", `plan has no hop ${ctx.step.hop}`);
  return hop;
}

/** ksadmin's home, as the vendor's `scp ... ksadmin@ip:.` puts it [U6]. */
export function remoteArchivePath(hop: Pick<PlanHop, "fileName">): string {
  return `/home/ksadmin/${path.basename(hop.fileName)}`;
}

/** Drops every connection and client kept to the appliance: before a reboot, and after one. */
export async function dropAppliancePools(endpoint: ApplianceEndpoint): Promise<void> {
  dropRestClients(endpoint);
  await dropSshSessions(endpoint);
}

/**
 * Runs `work` on an SSH connection to the step's appliance, kept open for its next steps
 * (lib/appliance/ssh-pool.ts). `last`: the appliance restarts after this (a reboot), so `work` gets
 * a new connection of its own (a kept one that died unnoticed would look like a reboot that
 * dropped it), and every connection and client kept to the appliance is dropped.
 */
export async function withSsh<T>(ctx: StepContext, work: (session: SshSession) => Promise<T>, opts: { last?: boolean } = {}): Promise<T> {
  const { endpoint, credentials, trust } = await ctx.access();
  if (!opts.last) return withPooledSsh(endpoint, credentials, trust, { signal: ctx.signal }, work);
  const session = await openLastSsh(ctx);
  try {
    return await work(session);
  } finally {
    await session.close().catch(() => {});
  }
}

/** A new connection of its own, every kept one to the appliance dropped first: see withSsh's `last`. The caller closes it. */
export async function openLastSsh(ctx: StepContext): Promise<SshSession> {
  const { endpoint, credentials, trust } = await ctx.access();
  await dropAppliancePools(endpoint);
  return openSshSession(endpoint, credentials, trust, { signal: ctx.signal });
}

/** The appliance's REST API over a client kept for its next steps (lib/appliance/rest-pool.ts). */
export async function restOf(ctx: StepContext): Promise<RestClient> {
  const { endpoint, credentials, trust } = await ctx.access();
  return sharedRestClient(endpoint, credentials, trust);
}

/**
 * The firmware version the appliance reports: over REST, or from the SSH banner (`Version
 * 2.21.0+15451` [C]) while the REST API is disabled on purpose (offline in-place [F10]).
 */
export async function readVersion(ctx: StepContext): Promise<{ version: string; via: "rest" | "ssh-banner" }> {
  try {
    return { version: (await (await restOf(ctx)).systemInfo()).version, via: "rest" };
  } catch (e) {
    if (!isAppError(e) || e.code !== "appliance-unreachable") throw e;
    const { endpoint } = await ctx.access();
    const banner = (await probeAppliance(endpoint)).sshBanner ?? "";
    const m = /Version\s+(\d+\.\d+\.\d+(?:\+[0-9A-Za-z.-]+)?)/.exec(banner);
    if (!m?.[1]) throw e;
    return { version: m[1], via: "ssh-banner" };
  }
}

/** True while this plan has disabled the node's REST API and not yet enabled it again. */
export async function restDisabledByPlan(ctx: StepContext): Promise<boolean> {
  const applianceId = ctx.step.applianceId ?? ctx.plan.applianceId;
  const steps = await ctx.db.step.findMany({ where: { planId: ctx.plan.id, applianceId, kind: { in: ["disable-rest", "enable-rest"] }, hop: ctx.step.hop }, select: { kind: true, state: true } });
  return steps.some((s) => s.kind === "disable-rest" && s.state === "succeeded") && !steps.some((s) => s.kind === "enable-rest" && s.state === "succeeded");
}

// [U10] Afterwards keysecure must be active and the REST API must report the hop's version.
import { setTimeout as delay } from "node:timers/promises";
import { AppError } from "@/lib/errors";
import { readServiceStatus } from "@/lib/appliance/commands";
import { parseVersion, sameVersion } from "@/lib/domain/version";
import type { StepContext, StepOutcome } from "../step-context";
import { hopOf, readVersion, restOf, withSsh } from "./helpers";
import { waitForClusterStatus } from "@/lib/appliance/rest-client";
import { getConfig } from "@/lib/config";
import type { SshSession } from "@/lib/appliance/ssh-session";

export async function postcheck(ctx: StepContext): Promise<StepOutcome> {
  const hop = hopOf(ctx);
  // The version is read while keysecure finishes starting: the REST API already answers (wait-return).
  const reading = readVersion(ctx);
  reading.catch(() => {}); // awaited below, after the service's verdict
  const raw = await withSsh(ctx, (session) => keysecureAfterStart(ctx, session));
  const status = raw.status;
  ctx.log(`systemctl status keysecure: ${status.line ?? status.state}`);
  if (!raw.healthy) throw new AppError("appliance-error", `keysecure is ${status.state} after the upgrade (${status.line ?? "no Active: line"}). Check the appliance before going on.`);
  const info = await reading;
  ctx.log(`version ${info.version} (read ${info.via === "rest" ? "over REST /v1/system/info" : "from the SSH banner: the REST API is disabled"})`);
  const version = parseVersion(info.version);
  if (!version || !sameVersion(version, parseVersion(hop.version)!)) {
    throw new AppError("appliance-error", `The appliance reports ${info.version} after the upgrade, not ${hop.version}.`);
  }
  if (ctx.plan.clusterId && (ctx.plan.method === "online-rolling" || ctx.plan.method === "offline-in-place")) {
    // [O7] Complete and normal before the next node: back in the cluster as ready.
    const ready = await waitForClusterStatus(await restOf(ctx), (c) => c.status.code === "r", { timeoutMs: ctx.step.deadlineSeconds * 1000 * getConfig().deadlineScale, pollMs: 500, signal: ctx.signal });
    ctx.log(`GET /v1/cluster: ${ready.status.description || ready.status.code} (node ${ready.nodeID})`);
  }
  await ctx.db.appliance.update({ where: { id: ctx.step.applianceId ?? ctx.plan.applianceId }, data: { version: info.version, status: "ok", statusReason: null, lastContactAt: new Date() } });
  return { state: "succeeded", outcome: `keysecure active; version ${info.version}` };
}

/**
 * A node answers REST once its API gateway is up, before keysecure has finished starting: while
 * systemd says `activating`, the boot is still under way, so ask again (within the step's
 * deadline) rather than judge a service that has not had its chance to start.
 */
async function keysecureAfterStart(ctx: StepContext, session: SshSession) {
  const deadlineMs = ctx.step.deadlineSeconds * 1000 * getConfig().deadlineScale;
  // A tenth of the time waited so far (at least 100 ms, at most the old fixed pause): a service
  // that is seconds from active is noticed at once, one that takes minutes is not asked more often.
  const capMs = Math.max(100, Math.min(2_000, deadlineMs / 400));
  const started = Date.now();
  for (;;) {
    const raw = await readServiceStatus(session, { signal: ctx.signal });
    const pollMs = Math.max(100, Math.min(capMs, (Date.now() - started) / 10));
    if (raw.status.state !== "activating" || Date.now() - started + pollMs > deadlineMs) return raw;
    await delay(pollMs, undefined, { signal: ctx.signal });
  }
}

// [D7] ks_downgrade.sh -f <file> [-o]. It resets the appliance [D3]: started at most once per hop,
// like the upgrade, and only after the operator confirmed the wipe (a dependency of this step).
import { AppError } from "@/lib/errors";
import { runDowngrade as runDowngradeScript } from "@/lib/appliance/commands";
import { parseVersion, sameVersion } from "@/lib/domain/version";
import type { StepContext, StepOutcome } from "../step-context";
import { hopOf, readVersion, remoteArchivePath, withSsh } from "./helpers";

export async function runDowngrade(ctx: StepContext): Promise<StepOutcome> {
  const hop = hopOf(ctx);
  const info = await readVersion(ctx);
  const current = parseVersion(info.version);
  if (current && sameVersion(current, parseVersion(hop.version)!)) return { state: "skipped", outcome: `already on ${info.version}` };
  const observed = (ctx.step.observed ?? {}) as { scriptStartedAt?: string; scriptSucceeded?: boolean };
  if (observed.scriptSucceeded) return { state: "succeeded", outcome: "the script had already succeeded; reboot pending" };
  if (observed.scriptStartedAt) {
    throw new AppError("appliance-error", `ks_downgrade.sh was started at ${observed.scriptStartedAt} by an earlier attempt whose outcome is unknown; it is never run twice automatically.`);
  }
  const remote = remoteArchivePath(hop);
  return withSsh(ctx, async (session) => {
    await ctx.observe({ scriptStartedAt: new Date().toISOString() });
    ctx.log(`$ sudo /opt/keysecure/ks_downgrade.sh -f ${remote}${hop.forceFlag ? " -o" : ""}`);
    const result = await runDowngradeScript(session, remote, { override: hop.forceFlag, signal: ctx.signal, onLine: (line) => ctx.log(line) });
    if (!result.succeeded) throw new AppError("appliance-refused", `ks_downgrade.sh exited ${result.exitCode ?? "without status"}: ${result.lastLines.slice(-3).join(" / ") || "no output"}`);
    await ctx.observe({ scriptSucceeded: true });
    return { state: "succeeded", outcome: `downgrade to ${hop.version} applied; the appliance was reset (backups kept)` };
  });
}

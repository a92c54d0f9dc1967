// The vendor's firmware scripts never run twice for one hop: the start is written to the step
// before the script is launched. A re-run that finds a start with no exit status (the connection
// dropped, the worker died) refuses and asks a person; a start that ended with an exit status has a
// known outcome, so a resumed plan may run it again.
import { AppError } from "@/lib/errors";
import type { SshSession } from "@/lib/appliance/ssh-session";
import type { FirmwareRunOptions, FirmwareRunResult } from "@/lib/appliance/commands";
import type { StepContext } from "../step-context";
import { hopOf, remoteArchivePath, withSsh } from "./helpers";

interface Observed { scriptStartedAt?: string; scriptSucceeded?: boolean; scriptExitCode?: number | null }

export async function runFirmwareOnce(
  ctx: StepContext,
  tool: "ks_upgrade.sh" | "ks_downgrade.sh",
  run: (session: SshSession, remotePath: string, opts: FirmwareRunOptions) => Promise<FirmwareRunResult>,
  currentVersion: string,
): Promise<FirmwareRunResult | "already-succeeded"> {
  const hop = hopOf(ctx);
  const observed = (ctx.step.observed ?? {}) as Observed;
  if (observed.scriptSucceeded) return "already-succeeded";
  if (observed.scriptStartedAt && typeof observed.scriptExitCode !== "number") {
    throw new AppError("appliance-error", `${tool} was started at ${observed.scriptStartedAt} by an earlier attempt whose outcome is unknown, and the appliance still reports ${currentVersion}. It is never run twice automatically: check the appliance's log, then decide.`);
  }
  const remote = remoteArchivePath(hop);
  return withSsh(ctx, async (session) => {
    await ctx.observe({ scriptStartedAt: new Date().toISOString(), scriptExitCode: null });
    ctx.log(`$ sudo /opt/keysecure/${tool} -f ${remote}${hop.forceFlag ? " -o" : ""}`);
    const result = await run(session, remote, { override: hop.forceFlag, signal: ctx.signal, onLine: (line) => ctx.log(line) });
    if (!result.succeeded) {
      if (result.exitCode !== null) await ctx.observe({ scriptExitCode: result.exitCode });
      throw new AppError("appliance-refused", `${tool} exited ${result.exitCode ?? "without status"}: ${result.lastLines.slice(-3).join(" / ") || "no output"}`);
    }
    await ctx.observe({ scriptSucceeded: true, rebootRequested: result.rebootRequested });
    return result;
  });
}

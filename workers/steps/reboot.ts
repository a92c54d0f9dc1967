// [U9] Reboot when the script says so. Sent once: a re-run that finds the record, or an appliance
// already on the target version, does not reboot again.
import { rebootAppliance } from "@/lib/appliance/commands";
import { parseVersion, sameVersion } from "@/lib/domain/version";
import type { StepContext, StepOutcome } from "../step-context";
import { hopOf, readVersion, withSsh } from "./helpers";

export async function reboot(ctx: StepContext): Promise<StepOutcome> {
  const observed = (ctx.step.observed ?? {}) as { rebootSentAt?: string };
  if (observed.rebootSentAt) return { state: "skipped", outcome: `reboot already sent at ${observed.rebootSentAt}` };
  const hop = hopOf(ctx);
  const info = await readVersion(ctx).catch(() => null);
  const current = info ? parseVersion(info.version) : null;
  if (current && sameVersion(current, parseVersion(hop.version)!)) return { state: "skipped", outcome: `already running ${info!.version}` };
  await ctx.observe({ rebootSentAt: new Date().toISOString() });
  await withSsh(ctx, (session) => rebootAppliance(session, { signal: ctx.signal }));
  ctx.log("$ sudo reboot (the SSH session dropped, as expected)");
  return { state: "succeeded", outcome: "reboot sent" };
}

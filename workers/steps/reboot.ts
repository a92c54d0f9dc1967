// [U9] Reboot when the script says so. Sent once: a re-run that finds the record, or an appliance
// already on the target version, does not reboot again.
import { rebootAppliance } from "@/lib/appliance/commands";
import { parseVersion, sameVersion } from "@/lib/domain/version";
import type { StepContext, StepOutcome } from "../step-context";
import { hopOf, openLastSsh, readVersion } from "./helpers";

export async function reboot(ctx: StepContext): Promise<StepOutcome> {
  const observed = (ctx.step.observed ?? {}) as { rebootSentAt?: string };
  if (observed.rebootSentAt) return { state: "skipped", outcome: `reboot already sent at ${observed.rebootSentAt}` };
  const hop = hopOf(ctx);
  // The connection that sends it is opened while the version is read; nothing is sent on it before.
  const connecting = openLastSsh(ctx);
  connecting.catch(() => {}); // awaited below, or closed when there is nothing to do
  const info = await readVersion(ctx).catch(() => null);
  const current = info ? parseVersion(info.version) : null;
  if (current && sameVersion(current, parseVersion(hop.version)!)) {
    void connecting.then((s) => s.close()).catch(() => {});
    return { state: "skipped", outcome: `already running ${info!.version}` };
  }
  await ctx.observe({ rebootSentAt: new Date().toISOString() });
  const session = await connecting;
  try {
    await rebootAppliance(session, { signal: ctx.signal });
  } finally {
    await session.close().catch(() => {});
  }
  ctx.log("$ sudo reboot (the SSH session dropped, as expected)");
  return { state: "succeeded", outcome: "reboot sent" };
}

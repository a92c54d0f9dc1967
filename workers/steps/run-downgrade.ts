// [D7] ks_downgrade.sh -f <file> [-o]. It resets the appliance [D3]: started at most once per hop,
// like the upgrade, and only after the operator confirmed the wipe (a dependency of this step).
import { runDowngrade as runDowngradeScript } from "@/lib/appliance/commands";
import { parseVersion, sameVersion } from "@/lib/domain/version";
import type { StepContext, StepOutcome } from "../step-context";
import { hopOf, readVersion } from "./helpers";
import { runFirmwareOnce } from "./firmware-once";

export async function runDowngrade(ctx: StepContext): Promise<StepOutcome> {
  const hop = hopOf(ctx);
  const info = await readVersion(ctx);
  const current = parseVersion(info.version);
  if (current && sameVersion(current, parseVersion(hop.version)!)) return { state: "skipped", outcome: `already on ${info.version}` };
  const result = await runFirmwareOnce(ctx, "ks_downgrade.sh", runDowngradeScript, info.version);
  if (result === "already-succeeded") return { state: "succeeded", outcome: "the script had already succeeded; reboot pending" };
  return { state: "succeeded", outcome: `downgrade to ${hop.version} applied; the appliance was reset (backups kept)` };
}

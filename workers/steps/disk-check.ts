// [U7] Free space on `/`, with the archive already copied: the need does not count the archive.
import { AppError } from "@/lib/errors";
import { readDiskFree } from "@/lib/appliance/commands";
import { checkDisk } from "@/lib/domain/node-prechecks";
import { diskNeedFor } from "@/lib/domain/prechecks";
import { parseVersion } from "@/lib/domain/version";
import { loadReleaseCatalog } from "@/lib/plans/release-catalog";
import type { StepContext, StepOutcome } from "../step-context";
import { hopOf, withSsh } from "./helpers";

export async function diskCheck(ctx: StepContext): Promise<StepOutcome> {
  const hop = hopOf(ctx);
  const df = await withSsh(ctx, (session) => readDiskFree(session, { signal: ctx.signal }));
  ctx.log(df.text.trim());
  const archive = { version: parseVersion(hop.version)!, sizeBytes: hop.sizeBytes, signatureVerified: true, onAppliance: true };
  const need = diskNeedFor(await loadReleaseCatalog(ctx.db), archive, parseVersion(ctx.plan.fromVersion));
  const result = checkDisk(df.df, need, archive, ["U7"], ctx.step.applianceId ?? undefined);
  if (result.status === "fail") throw new AppError("precheck-failed", `${result.summary}${result.remedy ? ` ${result.remedy}` : ""}`);
  return { state: "succeeded", outcome: result.summary };
}

// The archive is ~5 GB of the appliance's `/`: remove it once its hop succeeded.
import type { StepContext, StepOutcome } from "../step-context";
import { hopOf, remoteArchivePath, withSsh } from "./helpers";

export async function cleanup(ctx: StepContext): Promise<StepOutcome> {
  const remote = remoteArchivePath(hopOf(ctx));
  const removed = await withSsh(ctx, (session) => session.remove(remote));
  return removed ? { state: "succeeded", outcome: `removed ${remote}` } : { state: "skipped", outcome: `${remote} was already gone` };
}

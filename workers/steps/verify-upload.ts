// The copy on the appliance must hash to what the console verified. A mismatch removes the file,
// so a retry uploads it again instead of trusting a damaged copy.
import { AppError } from "@/lib/errors";
import { sha256OfRemoteFile } from "@/lib/appliance/commands";
import type { StepContext, StepOutcome } from "../step-context";
import { hopOf, remoteArchivePath, withSsh } from "./helpers";

export async function verifyUpload(ctx: StepContext): Promise<StepOutcome> {
  const hop = hopOf(ctx);
  const remote = remoteArchivePath(hop);
  return withSsh(ctx, async (session) => {
    const actual = await sha256OfRemoteFile(session, remote, { signal: ctx.signal });
    ctx.log(`sha256sum ${remote}: ${actual}`);
    if (actual !== hop.sha256) {
      await session.remove(remote);
      throw new AppError("appliance-error", `The copy on the appliance hashes to ${actual}, not ${hop.sha256}: it was removed. Retry the plan to upload it again.`);
    }
    return { state: "succeeded", outcome: `sha256 matches (${actual.slice(0, 16)}…)` };
  });
}

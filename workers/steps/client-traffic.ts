// [F10] Take client traffic off a node (the REST API disabled) and put it back. No public command
// exists: the driver profile holds the operation [I]. Observed first, so a re-run changes nothing.
import { disableClientTraffic, enableClientTraffic } from "@/lib/appliance/commands";
import type { StepContext, StepOutcome } from "../step-context";
import { withSsh } from "./helpers";

export async function disableRest(ctx: StepContext): Promise<StepOutcome> {
  const r = await withSsh(ctx, (session) => disableClientTraffic(session, { signal: ctx.signal }));
  ctx.log(r.text.trim() || `client traffic stopped (exit ${r.exitCode})`);
  return { state: "succeeded", outcome: "REST API disabled: clients get no answer from this node" };
}

export async function enableRest(ctx: StepContext): Promise<StepOutcome> {
  const r = await withSsh(ctx, (session) => enableClientTraffic(session, { signal: ctx.signal }));
  ctx.log(r.text.trim() || `client traffic restored (exit ${r.exitCode})`);
  return { state: "succeeded", outcome: "REST API enabled again" };
}

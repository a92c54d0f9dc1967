// Remove/rebuild's cluster steps [R4][R5][R7][R9]: remove nodes one at a time from the node that
// stays, delete the cluster configuration on a node, create the new cluster. Each observes first.
import { setTimeout as delay } from "node:timers/promises";
import { AppError } from "@/lib/errors";
import { createRestClient, joinCluster, waitForClusterStatus } from "@/lib/appliance/rest-client";
import { getConfig } from "@/lib/config";
import { deleteClusterConfig } from "@/lib/appliance/commands";
import { loadApplianceAccess } from "@/lib/fleet/appliance-access";
import type { StepContext, StepOutcome } from "../step-context";
import { restOf, withSsh } from "./helpers";

/** [R4] Removal is asked of the node that stays (the plan's entry node); joins and removals go one at a time. */
export async function removeNode(ctx: StepContext): Promise<StepOutcome> {
  const node = await ctx.db.appliance.findUniqueOrThrow({ where: { id: ctx.step.applianceId! } });
  if (!node.clusterNodeId) throw new AppError("precondition-failed", `${node.name} has no cluster node id: enrol the cluster again from one node.`);
  const keeper = await loadApplianceAccess(ctx.db, ctx.plan.applianceId);
  const rest = createRestClient(keeper.endpoint, keeper.credentials, keeper.trust);
  const present = (await rest.nodes()).find((n) => n.nodeID === node.clusterNodeId);
  if (!present || present.status.code === "v") return { state: "skipped", outcome: `${node.name} is no longer in the cluster` };
  ctx.log(`DELETE /v1/nodes/${node.clusterNodeId} (${node.name}) on the node that stays`);
  await rest.removeNode(node.clusterNodeId);
  for (;;) {
    const now = (await rest.nodes()).find((n) => n.nodeID === node.clusterNodeId);
    if (!now || now.status.code === "v") break;
    ctx.log(`${node.name}: ${now.status.description || now.status.code}`);
    await delay(1_000, undefined, { signal: ctx.signal });
  }
  return { state: "succeeded", outcome: `${node.name} removed from the cluster` };
}

/** [R5][R9] `ksctl cluster delete -y` on this node, unless it is already unclustered. */
export async function deleteCluster(ctx: StepContext): Promise<StepOutcome> {
  const cluster = await (await restOf(ctx)).cluster();
  if (cluster.status.code === "none") return { state: "skipped", outcome: "no cluster configuration on this node" };
  const r = await withSsh(ctx, (session) => deleteClusterConfig(session, { signal: ctx.signal }));
  ctx.log(`$ ksctl cluster delete -y\n${r.text}${r.stderr}`.trim());
  if (r.exitCode !== 0) throw new AppError("appliance-refused", `ksctl cluster delete exited ${r.exitCode}: ${(r.stderr || r.text).trim().slice(-300)}`);
  await ctx.db.appliance.update({ where: { id: ctx.step.applianceId! }, data: { clusterNodeId: null } });
  return { state: "succeeded", outcome: "cluster configuration deleted" };
}

/** [R7] A new cluster on the rebuilt node. */
export async function createCluster(ctx: StepContext): Promise<StepOutcome> {
  const rest = await restOf(ctx);
  const before = await rest.cluster();
  if (before.status.code !== "none") return { state: "skipped", outcome: `already in a cluster (node ${before.nodeID})` };
  await rest.createCluster();
  const after = await rest.cluster();
  await ctx.db.appliance.update({ where: { id: ctx.step.applianceId! }, data: { clusterNodeId: after.nodeID } });
  return { state: "succeeded", outcome: `new cluster created; this node is ${after.nodeID}` };
}

/** [R10] Join the rebuilt cluster through the node that stays; joins go one at a time (the compiler chains them). */
export async function joinClusterStep(ctx: StepContext): Promise<StepOutcome> {
  const joining = await restOf(ctx);
  const before = await joining.cluster();
  if (before.status.code === "r") return { state: "skipped", outcome: `already a ready member (node ${before.nodeID})` };
  if (before.status.code !== "none") throw new AppError("precondition-failed", `The node is in cluster state "${before.status.description}"; delete its old cluster configuration first [R9].`);
  const keeper = await loadApplianceAccess(ctx.db, ctx.plan.applianceId);
  const member = createRestClient(keeper.endpoint, keeper.credentials, keeper.trust);
  const { endpoint } = await ctx.access();
  ctx.log(`joining through ${keeper.endpoint.host}`);
  await joinCluster(joining, member, { joiningHost: endpoint.host, memberHost: keeper.endpoint.host });
  const ready = await waitForClusterStatus(joining, (info) => info.status.code === "r", { timeoutMs: ctx.step.deadlineSeconds * 1000 * getConfig().deadlineScale, pollMs: 500, signal: ctx.signal });
  await ctx.db.appliance.update({ where: { id: ctx.step.applianceId! }, data: { clusterNodeId: ready.nodeID } });
  return { state: "succeeded", outcome: `joined; node ${ready.nodeID} is ready` };
}

// Remove/rebuild [R2]-[R11]: block clients, back up, take every node but the first out of the
// cluster, upgrade the first as an unclustered appliance and build a new cluster on it, upgrade
// the others the same way, and join them one at a time.

import { addHopChain } from "./hop-chain";
import { stepKey } from "./plan-step";
import type { CompilePlanInput, PlanNode } from "./plan-compiler-types";
import type { StepBuilder } from "./step-builder";

export function compileRemoveRebuild(b: StepBuilder, input: CompilePlanInput): void {
  const [keeper, ...others] = input.nodes;
  if (!keeper) return;
  const names = input.nodes.map((n) => b.label(n)).join(", ");
  const node = (n: PlanNode, kind: "remove-node" | "delete-cluster" | "create-cluster" | "join-cluster", dependsOn: string[], ruleIds: string[], title: string) =>
    b.add({ applianceId: n.applianceId, key: stepKey({ kind, applianceId: n.applianceId }), kind, dependsOn, ruleIds, title });
  const confirm = (tag: string, dependsOn: string[], ruleIds: string[], title: string) =>
    b.add({ key: stepKey({ kind: "operator-confirm", tag }), kind: "operator-confirm", dependsOn, ruleIds, title });

  const check = b.add({ key: stepKey({ kind: "precheck" }), kind: "precheck", dependsOn: [], ruleIds: ["R1", "O6"], title: `Check every node of ${names} before breaking up the cluster` });
  const blocked = confirm("clients-blocked", [check], ["R2"], `Confirm client access to ${names} is blocked: requests during the rebuild can be lost`);
  // After blocking clients, so no change made after the backup can be lost [R3].
  const backup = b.add({ applianceId: keeper.applianceId, key: stepKey({ kind: "backup", applianceId: keeper.applianceId }), kind: "backup", dependsOn: [blocked], ruleIds: ["R3", "U4"], title: `Back up the cluster from ${b.label(keeper)} and download it with its key` });
  // Removals go one at a time [T].
  let previous = backup;
  const removals = others.map((n) => (previous = node(n, "remove-node", [previous], ["R4"], `Remove ${b.label(n)} from the cluster`)));
  const cut = node(keeper, "delete-cluster", [previous], ["R5"], `Delete the cluster configuration on ${b.label(keeper)} (ksctl cluster delete)`);
  const keeperEnd = upgradeAll(b, keeper, hopsOf(keeper, input), [cut], true);
  const created = node(keeper, "create-cluster", [keeperEnd], ["R7"], `Create a new cluster on ${b.label(keeper)}`);
  let lastJoin = created;
  others.forEach((n, i) => {
    const removal = removals[i] ?? backup;
    const cleared = node(n, "delete-cluster", [removal], ["R9"], `Delete the old cluster configuration on ${b.label(n)}`);
    const end = upgradeAll(b, n, hopsOf(n, input), [cleared], false);
    lastJoin = node(n, "join-cluster", [end, created, lastJoin], ["R10"], `Join ${b.label(n)} to the new cluster`);
  });
  confirm("clients-restored", [lastJoin], ["R11"], `The cluster is rebuilt on the new version: restore client access to ${names}`);
}

function hopsOf(n: PlanNode, input: CompilePlanInput) {
  return n.hops ?? input.hops;
}

/**
 * The node is unclustered now, so it follows the unclustered procedure, hop after hop [R6][R8].
 * Only the keeper holds the data worth backing up between hops; the others get it by joining.
 */
function upgradeAll(b: StepBuilder, n: PlanNode, hops: CompilePlanInput["hops"], after: string[], keepsData: boolean): string {
  let last = after;
  hops.forEach((hop, i) => {
    const keys = addHopChain(b, { node: n, hop, hopIndex: i + 1, hopCount: hops.length }, { after: last, backup: keepsData && i > 0 && b.options.backupEveryHop });
    last = [keys.last];
  });
  return last[0] ?? after[0] ?? "";
}

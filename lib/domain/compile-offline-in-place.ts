// Offline in-place, as the console's own rendering of cmupdate [F6][F10]: prepare (checks and
// uploads on every node), then upgrade (re-verify, REST off everywhere, upgrade each node,
// REST back on). People confirm the node list [F11], that clients stopped [F9] and may resume [F12].

import { addApplySteps, addFinishSteps, addPrepareSteps, type HopContext } from "./hop-chain";
import { stepKey } from "./plan-step";
import type { CompilePlanInput } from "./plan-compiler-types";
import type { StepBuilder } from "./step-builder";

export function compileOfflineInPlace(b: StepBuilder, input: CompilePlanInput): void {
  const first = input.nodes[0];
  if (!first) return;
  const names = input.nodes.map((n) => b.label(n)).join(", ");
  let previousHopEnds: string[] = [];
  input.hops.forEach((hop, h) => {
    const hopIndex = h + 1;
    const ctx = input.nodes.map((node): HopContext => ({ node, hop, hopIndex, hopCount: input.hops.length }));
    const confirm = (tag: string, dependsOn: string[], ruleIds: string[], title: string) =>
      b.add({ hop: hopIndex, key: stepKey({ kind: "operator-confirm", tag, hop: hopIndex }), kind: "operator-confirm", dependsOn, ruleIds, title });
    const perNode = (c: HopContext, kind: "verify-upload" | "disable-rest" | "enable-rest", dependsOn: string[], title: string, tag?: string) =>
      b.add({ applianceId: c.node.applianceId, hop: hopIndex, key: stepKey({ kind, tag, applianceId: c.node.applianceId, hop: hopIndex }), kind, dependsOn, ruleIds: ["F10"], title });

    const check = b.add({ hop: hopIndex, key: stepKey({ kind: "precheck", hop: hopIndex }), kind: "precheck", dependsOn: previousHopEnds, ruleIds: ["F5", "F8", "F3"], title: `Check the cluster is ready for the offline upgrade to ${hop.archiveVersion}` });
    const backup = hopIndex === 1 || b.options.backupEveryHop
      ? b.add({ applianceId: first.applianceId, hop: hopIndex, key: stepKey({ kind: "backup", applianceId: first.applianceId, hop: hopIndex }), kind: "backup", dependsOn: [check], ruleIds: ["F4", "U4"], title: `Back up the cluster from ${b.label(first)} and download it with its key` })
      : undefined;
    const nodesConfirmed = confirm("nodes-confirmed", [check], ["F6", "F11"], `Confirm these nodes are the whole cluster and will be upgraded: ${names}`);
    // Prepare: every node at once; nothing goes down yet [F6][F7].
    const prepared = ctx.map((c) => addPrepareSteps(b, c, { after: [nodesConfirmed], precheck: false }));
    const stopped = confirm("clients-stopped", [...prepared.map((p) => p.diskCheck), ...(backup ? [backup] : [])], ["F9", "F2", "F11"], `Confirm client traffic to ${names} is stopped: the cluster goes offline now`);
    const rechecks = ctx.map((c) => perNode(c, "verify-upload", [stopped], `Check the archive on ${b.label(c.node)} still matches`, "before-upgrade"));
    const disables = ctx.map((c) => perNode(c, "disable-rest", rechecks, `Disable the REST API on ${b.label(c.node)}`));
    // One node at a time: the first one migrates the shared database schema [O3].
    let previous: string[] = [];
    const applied = ctx.map((c) => {
      const keys = addApplySteps(b, c, { after: [...disables, ...previous] });
      previous = [keys.waitReturn];
      return keys;
    });
    const returned = applied.map((a) => a.waitReturn);
    const enables = ctx.map((c) => perNode(c, "enable-rest", returned, `Re-enable the REST API on ${b.label(c.node)}`));
    const finished = ctx.map((c, i) => addFinishSteps(b, c, { after: [enables[i] ?? returned[i] ?? check] }));
    const resumed = confirm("clients-resumed", finished.map((f) => f.postcheck), ["F12"], `The upgrade to ${hop.archiveVersion} is done and the REST API is back: resume client traffic`);
    previousHopEnds = [resumed, ...finished.map((f) => f.last)];
  });
}

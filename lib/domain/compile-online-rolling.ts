// Online in-place: one release at a time [O1], one node at a time, each node complete and
// healthy before the next goes down [O7]; a backup with its key before anything [O5].

import { addHopChain } from "./hop-chain";
import { stepKey } from "./plan-step";
import type { CompilePlanInput } from "./plan-compiler-types";
import type { StepBuilder } from "./step-builder";

export function compileOnlineRolling(b: StepBuilder, input: CompilePlanInput): void {
  const first = input.nodes[0];
  if (!first) return;
  let previousHopEnds: string[] = [];
  input.hops.forEach((hop, h) => {
    const hopIndex = h + 1;
    const clusterCheck = b.add({
      hop: hopIndex, key: stepKey({ kind: "precheck", hop: hopIndex }), kind: "precheck", dependsOn: previousHopEnds, ruleIds: ["O6", "O4"],
      title: `Check every node is up and ready before ${hop.archiveVersion}`,
    });
    const backup = hopIndex === 1 || b.options.backupEveryHop
      ? b.add({
        applianceId: first.applianceId, hop: hopIndex, key: stepKey({ kind: "backup", applianceId: first.applianceId, hop: hopIndex }), kind: "backup",
        dependsOn: [clusterCheck], ruleIds: ["O5", "U4"], title: `Back up the cluster from ${b.label(first)} and download it with its key`,
      })
      : undefined;
    let gate = [clusterCheck, ...(backup ? [backup] : [])];
    const ends: string[] = [];
    for (const node of input.nodes) {
      // Uploads may run ahead; the node's precheck waits for the previous node's postcheck [O7].
      const keys = addHopChain(b, { node, hop, hopIndex, hopCount: input.hops.length }, { after: gate, uploadAfter: [clusterCheck] });
      gate = [keys.postcheck];
      ends.push(keys.last);
    }
    previousHopEnds = ends;
  });
}

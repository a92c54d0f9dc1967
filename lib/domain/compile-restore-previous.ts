// [D6] The production way back to a previous version: back up, factory reset, upgrade to the
// desired version, restore a backup made on that version or older [U5]. Unlike a downgrade it
// keeps the data; unlike every other plan it passes through a factory reset, so the person
// confirms the reset and names the backup to restore before anything is wiped.

import { addApplySteps, addFinishSteps, addPrepareSteps, type HopContext } from "./hop-chain";
import type { PlanHop, PlanNode } from "./plan-compiler-types";
import { stepKey, type Step } from "./plan-step";
import { StepBuilder } from "./step-builder";

export interface RestorePreviousInput {
  node: PlanNode;
  /** The archive of the desired version; the appliance is upgraded to it after the reset. */
  hop: PlanHop;
  /** Which backup will be restored, as the person chose it (shown in titles). */
  backupLabel: string;
}

export function compileRestorePrevious(input: RestorePreviousInput): Step[] {
  const b = new StepBuilder({ method: "standalone", nodes: [input.node], hops: [input.hop], options: { backupEveryHop: false } });
  const name = b.label(input.node);
  const scope = { applianceId: input.node.applianceId };
  const precheck = b.add({ ...scope, key: stepKey({ kind: "precheck", ...scope, tag: "restore" }), kind: "precheck", dependsOn: [], ruleIds: ["D6", "U5"], title: `Check ${name} and the backup to restore (${input.backupLabel})` });
  const backup = b.add({ ...scope, key: stepKey({ kind: "backup", ...scope, tag: "before-reset" }), kind: "backup", dependsOn: [precheck], ruleIds: ["D6", "U4"], title: `Back up ${name} as it is now, and download the backup with its key` });
  const confirm = b.add({ key: stepKey({ kind: "operator-confirm", tag: "factory-reset" }), kind: "operator-confirm", dependsOn: [backup], ruleIds: ["D6"], title: `Confirm: ${name} is factory reset (all its data is wiped), upgraded to ${input.hop.archiveVersion}, then ${input.backupLabel} is restored` });
  const reset = b.add({ ...scope, key: stepKey({ kind: "factory-reset", ...scope }), kind: "factory-reset", dependsOn: [confirm], ruleIds: ["D6"], title: `Factory reset ${name}` });
  const back = b.add({ ...scope, key: stepKey({ kind: "wait-return", ...scope, tag: "after-reset" }), kind: "wait-return", dependsOn: [reset], ruleIds: ["D6"], title: `Wait for ${name} to come back from the factory reset` });
  const c: HopContext = { node: input.node, hop: input.hop, hopIndex: 1, hopCount: 1 };
  const prepare = addPrepareSteps(b, c, { after: [back], precheck: false, backup: false });
  const apply = addApplySteps(b, c, { after: [prepare.diskCheck] });
  const finish = addFinishSteps(b, c, { after: [apply.waitReturn] });
  const restore = b.add({ ...scope, key: stepKey({ kind: "restore-backup", ...scope }), kind: "restore-backup", dependsOn: [finish.postcheck], ruleIds: ["D6", "U5"], title: `Restore ${input.backupLabel} on ${name}` });
  b.add({ ...scope, key: stepKey({ kind: "postcheck", ...scope, tag: "after-restore" }), kind: "postcheck", hop: 1, dependsOn: [restore], ruleIds: ["D6", "U10"], title: `Check ${name} runs ${input.hop.archiveVersion} with keysecure active after the restore` });
  return b.steps;
}

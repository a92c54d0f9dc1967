// compilePlan: an UpgradePlan's method, nodes and hops become steps with dependencies. Pure and
// deterministic, so the same input always yields the same keys.

import { compileOfflineInPlace } from "./compile-offline-in-place";
import { compileOnlineRolling } from "./compile-online-rolling";
import { compileRemoveRebuild } from "./compile-remove-rebuild";
import { addHopChain } from "./hop-chain";
import { stepKey } from "./plan-step";
import type { CompiledPlan, CompilePlanInput } from "./plan-compiler-types";
import { StepBuilder } from "./step-builder";

export type { CompiledPlan, CompileOptions, CompilePlanInput, PlanHop, PlanNode } from "./plan-compiler-types";
export { STEP_KINDS, type Step, type StepKind } from "./plan-step";
export { estimateDowntime } from "./downtime";

export function compilePlan(input: CompilePlanInput): CompiledPlan {
  const problem = checkInput(input);
  if (problem) return problem;
  const b = new StepBuilder(input);
  switch (input.method) {
    case "standalone":
      compileStandalone(b, input);
      break;
    case "downgrade":
      compileDowngrade(b, input);
      break;
    case "online-rolling":
      compileOnlineRolling(b, input);
      break;
    case "offline-in-place":
      compileOfflineInPlace(b, input);
      break;
    case "remove-rebuild":
      compileRemoveRebuild(b, input);
      break;
  }
  return { ok: true, method: input.method, steps: b.steps };
}

function checkInput(input: CompilePlanInput): CompiledPlan | null {
  const no = (code: Extract<CompiledPlan, { ok: false }>["code"], message: string): CompiledPlan => ({ ok: false, code, message });
  if (input.nodes.length === 0) return no("no-nodes", "A plan needs at least one appliance.");
  const ids = input.nodes.map((n) => n.applianceId);
  if (new Set(ids).size !== ids.length) return no("duplicate-node", "An appliance appears twice in the plan.");
  const allHops = [input.hops, ...input.nodes.map((n) => n.hops ?? input.hops)];
  if (allHops.some((hops) => hops.length === 0)) return no("no-hops", "A plan needs at least one hop (one archive to apply).");
  if (allHops.flat().some((h) => !(h.archiveSizeBytes >= 0) || h.archiveVersion.trim() === "")) return no("bad-hop", "Every hop needs an archive version and size.");
  if ((input.method === "standalone" || input.method === "downgrade") && input.nodes.length !== 1) {
    return no("one-node-only", `The ${input.method} method works on exactly one unclustered appliance.`);
  }
  if (input.method === "downgrade" && input.hops.length !== 1) return no("one-hop-only", "A downgrade is a single documented step [D2].");
  return null;
}

/** The unclustered procedure, repeated per hop with a fresh precheck between hops [U2]-[U10]. */
function compileStandalone(b: StepBuilder, input: CompilePlanInput): void {
  const node = input.nodes[0];
  if (!node) return;
  let after: string[] = [];
  input.hops.forEach((hop, i) => {
    const keys = addHopChain(b, { node, hop, hopIndex: i + 1, hopCount: input.hops.length }, {
      after, backup: i === 0 || b.options.backupEveryHop,
    });
    after = [keys.last];
  });
}

/**
 * Backup first, because the downgrade wipes everything but backup files [D3]; then a person
 * confirms the wipe and that this is a test system [D5] before ks_downgrade.sh runs [D7].
 */
function compileDowngrade(b: StepBuilder, input: CompilePlanInput): void {
  const node = input.nodes[0];
  const hop = input.hops[0];
  if (!node || !hop) return;
  const id = node.applianceId;
  const name = b.label(node);
  const precheck = b.add({ applianceId: id, hop: 1, key: stepKey({ kind: "precheck", applianceId: id, hop: 1 }), kind: "precheck", dependsOn: [], ruleIds: ["D1", "D2"], title: `Precheck ${name} before the downgrade to ${hop.archiveVersion}` });
  const backup = b.add({ applianceId: id, hop: 1, key: stepKey({ kind: "backup", applianceId: id, hop: 1 }), kind: "backup", dependsOn: [precheck], ruleIds: ["U4", "D3"], title: `Back up ${name} and download the backup with its key` });
  const confirm = b.add({
    hop: 1, key: stepKey({ kind: "operator-confirm", tag: "wipe-test-only", hop: 1 }), kind: "operator-confirm", dependsOn: [backup], ruleIds: ["D3", "D5"],
    title: `Confirm: downgrading ${name} wipes all its data except backup files, and it is a test system`,
  });
  addHopChain(b, { node, hop, hopIndex: 1, hopCount: 1, direction: "downgrade" }, { after: [precheck], precheck: false, runAfter: [backup, confirm] });
}

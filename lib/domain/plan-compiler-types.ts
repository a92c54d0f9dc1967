// Inputs and outputs of the plan compiler, shared by the per-method compilers.

import { DEFAULT_STEP_DEADLINES, type Step, type StepKind } from "./plan-step";
import type { PlanMethod } from "./upgrade-path-types";

export interface PlanHop {
  archiveVersion: string;
  archiveSizeBytes: number;
  /** ks_upgrade.sh / ks_downgrade.sh `-o`: a pass-through hop or a forced clustered downgrade. */
  forceFlag: boolean;
}

export interface PlanNode {
  applianceId: string;
  /** Shown in titles; the id when absent. */
  label?: string;
  /** Remove/rebuild upgrades each node from its own version, so hops may differ per node. */
  hops?: PlanHop[];
}

export interface CompileOptions {
  /** Back up again before every hop after the first: the only restorable point for that version [U5]. */
  backupEveryHop?: boolean;
  /** Remove the archive from `/home/ksadmin` after a hop succeeds. */
  cleanupArchive?: boolean;
  deadlines?: Partial<Record<StepKind, number>>;
}

export interface CompilePlanInput {
  method: PlanMethod;
  /** In execution order. Remove/rebuild keeps the first node and rebuilds the cluster on it. */
  nodes: PlanNode[];
  hops: PlanHop[];
  options?: CompileOptions;
}

export type CompiledPlan =
  | { ok: true; method: PlanMethod; steps: Step[] }
  | { ok: false; code: "no-nodes" | "no-hops" | "duplicate-node" | "one-node-only" | "one-hop-only" | "bad-hop"; message: string };

/** Collects steps in creation order and resolves deadlines and titles in one place. */
export class StepBuilder {
  readonly steps: Step[] = [];
  constructor(private readonly input: CompilePlanInput) {}

  add(step: Omit<Step, "deadlineSeconds"> & { deadlineSeconds?: number }): string {
    const deadline = step.deadlineSeconds ?? this.deadlineOf(step.kind);
    this.steps.push({ ...step, dependsOn: [...new Set(step.dependsOn)], deadlineSeconds: deadline });
    return step.key;
  }

  label(node: PlanNode): string {
    return node.label ?? node.applianceId;
  }

  get options(): Required<Omit<CompileOptions, "deadlines">> {
    return { backupEveryHop: this.input.options?.backupEveryHop ?? true, cleanupArchive: this.input.options?.cleanupArchive ?? true };
  }

  deadlineOf(kind: StepKind): number {
    return this.input.options?.deadlines?.[kind] ?? DEFAULT_STEP_DEADLINES[kind];
  }
}

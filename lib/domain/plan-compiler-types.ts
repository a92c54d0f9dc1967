// Inputs and outputs of the plan compiler, shared by the per-method compilers.

import type { Step, StepKind } from "./plan-step";
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

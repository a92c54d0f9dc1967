// Collects a plan's steps in creation order; deadlines and option defaults resolve here, once.

import type { CompileOptions, CompilePlanInput, PlanNode } from "./plan-compiler-types";
import { DEFAULT_STEP_DEADLINES, type Step, type StepKind } from "./plan-step";

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

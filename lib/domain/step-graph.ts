// Checks on a compiled step graph: unique keys, known dependencies, no cycles. The compiler's
// tests run every compiled plan through it; services may run stored plans through it too.

import type { Step } from "./plan-step";

export type StepGraphCheck = { ok: true; order: string[] } | { ok: false; code: "duplicate-key" | "unknown-dependency" | "cycle"; message: string };

export function validateStepGraph(steps: readonly Pick<Step, "key" | "dependsOn">[]): StepGraphCheck {
  const keys = new Set<string>();
  for (const s of steps) {
    if (keys.has(s.key)) return { ok: false, code: "duplicate-key", message: `Step key ${s.key} appears twice.` };
    keys.add(s.key);
  }
  for (const s of steps) {
    const missing = s.dependsOn.find((d) => !keys.has(d));
    if (missing) return { ok: false, code: "unknown-dependency", message: `Step ${s.key} depends on unknown step ${missing}.` };
  }
  const order = topologicalOrder(steps);
  if (order.length !== steps.length) return { ok: false, code: "cycle", message: "The steps' dependencies form a cycle." };
  return { ok: true, order };
}

/** Kahn's algorithm, stable in the input order; steps on a cycle are left out. */
export function topologicalOrder(steps: readonly Pick<Step, "key" | "dependsOn">[]): string[] {
  const remaining = new Map(steps.map((s) => [s.key, new Set(s.dependsOn)]));
  const order: string[] = [];
  let progressed = true;
  while (progressed) {
    progressed = false;
    for (const s of steps) {
      const deps = remaining.get(s.key);
      if (!deps || [...deps].some((d) => remaining.has(d))) continue;
      remaining.delete(s.key);
      order.push(s.key);
      progressed = true;
    }
  }
  return order;
}

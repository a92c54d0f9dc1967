// The baseline of benchmark 3 is a computation, so it is tested like one: real compiled plans.
import { describe, expect, it } from "vitest";
import { compilePlan } from "@/lib/domain/plan-compiler";
import { criticalPathSeconds, longestPathSeconds, simulatedStepSeconds, SIMULATOR_DEFAULT_DURATIONS as D } from "./critical-path";

const hop = { archiveVersion: "2.11.0+13003", archiveSizeBytes: 1024 * 1024, forceFlag: false };
function compiled(method: "standalone" | "online-rolling", nodes: number) {
  const plan = compilePlan({ method, nodes: Array.from({ length: nodes }, (_, i) => ({ applianceId: `node-${i + 1}` })), hops: [hop] });
  if (!plan.ok) throw new Error(plan.message);
  return plan.steps;
}
// The confirmed backup makes the plans' backup steps skip, as a launched plan's do.
const skipBackups = (steps: ReturnType<typeof compiled>) => steps.map((s) => ({ ...s, skipped: s.kind === "backup" }));
const NODE = D.upgradeSeconds + D.rebootSeconds + D.serviceStartSeconds;

describe("critical path of compiled plans", () => {
  it("weights a standalone plan by the upgrade, the reboot and the services' start", () => {
    expect(longestPathSeconds(skipBackups(compiled("standalone", 1)), (s) => (s.skipped ? 0 : simulatedStepSeconds(s.kind, D, 1)))).toBeCloseTo(NODE);
  });

  it("takes the nodes of an online rolling cluster one after another, uploads running ahead", () => {
    const steps = skipBackups(compiled("online-rolling", 3));
    expect(criticalPathSeconds([steps], D, 0.05)).toBeCloseTo(3 * NODE * 0.05);
  });

  it("is the longest plan's path when plans run side by side, and counts an unskipped backup", () => {
    const plans = [skipBackups(compiled("standalone", 1)), skipBackups(compiled("online-rolling", 3)), skipBackups(compiled("online-rolling", 2))];
    expect(criticalPathSeconds(plans, D, 1)).toBeCloseTo(3 * NODE);
    expect(criticalPathSeconds([compiled("standalone", 1)], D, 1)).toBeCloseTo(NODE + D.backupSeconds);
  });

  it("takes the longer of two branches, not their sum", () => {
    const steps = [
      { key: "a", kind: "precheck", dependsOn: [] },
      { key: "b", kind: "run-upgrade", dependsOn: ["a"] },
      { key: "c", kind: "wait-return", dependsOn: ["a"] },
      { key: "d", kind: "cleanup", dependsOn: ["b", "c"] },
    ];
    expect(criticalPathSeconds([steps], D, 1)).toBeCloseTo(D.upgradeSeconds);
  });

  it("refuses a cycle and an unknown dependency by name", () => {
    expect(() => longestPathSeconds([{ key: "a", kind: "x", dependsOn: ["b"] }, { key: "b", kind: "x", dependsOn: ["a"] }], () => 1)).toThrow(/cycle through/);
    expect(() => longestPathSeconds([{ key: "a", kind: "x", dependsOn: ["zz"] }], () => 1)).toThrow(/step zz is depended on/);
  });
});

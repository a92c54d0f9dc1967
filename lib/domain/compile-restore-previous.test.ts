import { describe, expect, it } from "vitest";
import { compileRestorePrevious } from "./compile-restore-previous";
import { validateStepGraph } from "./step-graph";

const steps = compileRestorePrevious({ node: { applianceId: "a1", label: "cm1" }, hop: { archiveVersion: "2.10.0+12807", archiveSizeBytes: 1000, forceFlag: false }, backupLabel: "backup b1 of 2.10.0+12807" });
const order = (kind: string, tag = "") => steps.findIndex((s) => s.kind === kind && s.key.includes(tag));

describe("[D6] the production way back", () => {
  it("[D6] backs up, asks before the factory reset, upgrades to the desired version, then restores", () => {
    expect(validateStepGraph(steps).ok).toBe(true);
    expect(order("backup")).toBeLessThan(order("operator-confirm"));
    expect(order("operator-confirm")).toBeLessThan(order("factory-reset"));
    expect(order("factory-reset")).toBeLessThan(order("run-upgrade"));
    expect(order("run-upgrade")).toBeLessThan(order("restore-backup"));
    const reset = steps.find((s) => s.kind === "factory-reset")!;
    expect(reset.dependsOn).toContain(steps.find((s) => s.kind === "operator-confirm")!.key);
    expect(steps.filter((s) => s.kind === "run-upgrade")).toHaveLength(1);
  });

  it("[D6][U5] names the backup it will restore in what the person confirms", () => {
    expect(steps.find((s) => s.kind === "operator-confirm")!.title).toContain("backup b1 of 2.10.0+12807");
  });
});

import { describe, expect, it } from "vitest";
import { evaluateRestorePrechecks, type RestoreFacts } from "./restore-prechecks";
import { parseSystemctlStatus } from "./systemctl";
import { parseVersion } from "./version";

const v = (t: string) => parseVersion(t)!;
const base: RestoreFacts = {
  appliance: { id: "a", version: v("2.11.0"), model: null, clustered: false },
  target: v("2.10.0"),
  archive: { version: v("2.10.0"), sizeBytes: 1, signatureVerified: true, onAppliance: false },
  service: parseSystemctlStatus("   Active: active (running) since Mon 2026-11-30 10:00:00 UTC; 1min ago", 0),
  rest: { reachable: true },
  restoreBackup: { id: "b1", madeOn: v("2.10.0"), downloaded: true },
};
const backupCheck = (f: RestoreFacts) => evaluateRestorePrechecks(f).find((p) => p.id === "backup")!;

describe("restore prechecks", () => {
  it("[U5] refuses a backup made on a newer version than the desired one", () => {
    expect(backupCheck({ ...base, restoreBackup: { id: "b2", madeOn: v("2.11.0"), downloaded: true } })).toMatchObject({ status: "fail", summary: expect.stringContaining("never supported") });
  });
  it("[U5][D6] accepts a backup made on the desired version or older", () => {
    expect(backupCheck(base).status).toBe("pass");
    expect(backupCheck({ ...base, restoreBackup: { id: "b0", madeOn: v("2.9.0"), downloaded: true } }).status).toBe("pass");
  });
  it("[D6] refuses a clustered appliance and a missing backup", () => {
    expect(evaluateRestorePrechecks({ ...base, appliance: { ...base.appliance, clustered: true } }).find((p) => p.id === "cluster-state")!.status).toBe("fail");
    expect(backupCheck({ ...base, restoreBackup: null }).status).toBe("fail");
  });
});

import { describe, expect, it } from "vitest";
import { backupContent, sealBackupKey, unsealBackupKey } from "./backups";
import { newBackupKey } from "./data-store";
import type { Backup } from "./node-state";

const backup: Backup = {
  id: "6f1c1c4e-0000-4000-8000-000000000001", scope: "system", status: "completed", createdAt: "2025-01-01T00:00:00.000Z",
  updatedAt: "2025-01-01T00:00:00.000Z", description: "before upgrade", backupKey: "k1", version: "2.10.0+12345", size: 0, tiedToHSM: false,
};

describe("backup files", () => {
  it("[U5] embed the firmware version that made them, deterministically", () => {
    const a = backupContent("cm1", backup);
    expect(a.toString("latin1")).toContain("version: 2.10.0+12345");
    expect(a.length).toBeGreaterThan(4000);
    expect(backupContent("cm1", backup).equals(a)).toBe(true);
    expect(backupContent("cm1", { ...backup, version: "2.11.0+1" }).equals(a)).toBe(false);
  });

  it("seal the key with the operator's password", () => {
    const key = newBackupKey("k", true);
    const sealed = sealBackupKey(key, "correct horse");
    expect(sealed.toString()).not.toContain(key.material);
    expect(unsealBackupKey(sealed, "correct horse").toString("base64")).toBe(key.material);
    expect(() => unsealBackupKey(sealed, "wrong")).toThrow();
  });
});

import { describe, expect, it } from "vitest";
import { ApplianceConfigSchema, FaultsPatchSchema, FleetConfigSchema } from "./config";

describe("configuration", () => {
  it("fills the documented defaults", () => {
    const c = ApplianceConfigSchema.parse({ name: "cm1", stateDir: "/tmp/x" });
    expect(c).toMatchObject({
      host: "127.0.0.1", sshPort: 0, restPort: 0, version: "2.10.0+12345", model: "CipherTrust Manager k170v",
      restUsers: [{ username: "admin", password: "admin" }], timeScale: 1, upgradeSeconds: 600, rebootSeconds: 120, serviceStartSeconds: 30,
    });
    expect(c.faults).toEqual({
      lowDisk: null, upgradeFails: false, neverReturns: false, slowReturn: 0, serviceFails: false, restDown: false,
      hostKeyChanged: false, diskFillsDuringUpload: false, dropSshAfterBytes: null,
    });
  });

  it("refuses a version without a build number and unknown fields", () => {
    expect(ApplianceConfigSchema.safeParse({ name: "cm1", stateDir: "/x", version: "2.10.0" }).success).toBe(false);
    expect(ApplianceConfigSchema.safeParse({ name: "cm1", stateDir: "/x", sshport: 22 }).success).toBe(false);
  });

  it("refuses an unknown fault, so a typo does not pass silently", () => {
    expect(FaultsPatchSchema.safeParse({ neverReturn: true }).success).toBe(false);
    expect(FaultsPatchSchema.parse({ neverReturns: true })).toEqual({ neverReturns: true });
  });

  it("wants unique appliance names in a fleet", () => {
    const fleet = { stateDir: "/x", appliances: [{ name: "a" }, { name: "a" }] };
    expect(FleetConfigSchema.safeParse(fleet).success).toBe(false);
    expect(FleetConfigSchema.safeParse({ ...fleet, appliances: [{ name: "a" }, { name: "b" }] }).success).toBe(true);
  });
});

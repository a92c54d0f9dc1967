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
      down: false, stuckJoining: false, killed: false, unknownState: false, differentStates: false, auditRecordsToDb: false,
    });
    expect(c).toMatchObject({ joinSeconds: 60, createClusterSeconds: 10, removeSeconds: 20, dbLockSeconds: 25 });
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

  it("takes clusters of up to 20 nodes with distinct hosts, and wants unique names across them", () => {
    const node = (name: string, host?: string) => ({ name, ...(host ? { host } : {}) });
    const ok = { stateDir: "/x", clusters: [{ name: "c", nodes: [node("a"), node("b", "127.0.0.12")] }] };
    expect(FleetConfigSchema.parse(ok).clusters[0]).toMatchObject({ sshPort: 0, restPort: 0, formed: true });
    expect(FleetConfigSchema.safeParse({ ...ok, appliances: [{ name: "a" }] }).success).toBe(false);
    expect(FleetConfigSchema.safeParse({ stateDir: "/x", clusters: [{ name: "c", nodes: [node("a", "h"), node("b", "h")] }] }).success).toBe(false);
    const many = Array.from({ length: 21 }, (_, i) => node(`n${i}`));
    expect(FleetConfigSchema.safeParse({ stateDir: "/x", clusters: [{ name: "c", nodes: many }] }).success).toBe(false);
    expect(FleetConfigSchema.safeParse({ stateDir: "/x", clusters: [{ name: "c", nodes: [{ name: "a", sshPort: 22 }] }] }).success).toBe(false);
    expect(FleetConfigSchema.safeParse({ stateDir: "/x" }).success).toBe(false);
  });

  it("keeps the cluster database lock under the seed's 30 seconds", () => {
    expect(ApplianceConfigSchema.safeParse({ name: "cm1", stateDir: "/x", dbLockSeconds: 31 }).success).toBe(false);
  });
});

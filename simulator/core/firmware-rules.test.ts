import { describe, expect, it } from "vitest";
import { parseVersion, type Version } from "@/lib/domain/version";
import { checkFirmwareChange, type FirmwareCheckInput } from "./firmware-rules";
import { DOWNGRADE_TARGETS, TESTED_UPGRADE_PATHS } from "./upgrade-paths";

const GiB = 1024 ** 3;
const v = (s: string): Version => parseVersion(s) as Version;
const base: FirmwareCheckInput = {
  tool: "upgrade", current: v("2.10.0+12345"), target: v("2.11.0+13003"), archiveKind: "upgrade",
  archiveBytes: 5 * GiB, freeBytes: 50 * GiB, clustered: false, override: false, testedPaths: TESTED_UPGRADE_PATHS,
};

describe("ks_upgrade.sh / ks_downgrade.sh refusals", () => {
  it("accepts a newer version with room to spare", () => {
    expect(checkFirmwareChange(base)).toEqual({ ok: true, requiredBytes: 12 * GiB, overriddenPath: false });
  });

  it.each<[string, Partial<FirmwareCheckInput>, RegExp]>([
    ["a downgrade archive", { archiveKind: "downgrade", target: v("2.9.0+1") }, /downgrade archive/],
    ["the running version", { target: v("2.10.0+12345") }, /already running version 2\.10\.0\+12345/],
    ["an older version", { target: v("2.9.0+11937") }, /not newer/],
    ["a patch of the same release, older", { current: v("2.11.1+2"), target: v("2.11.0+1") }, /not newer/],
    ["[U7] less than 12 GB free besides the archive", { freeBytes: 12 * GiB - 1 }, /not enough free disk space.*12\.0G required/],
    ["a database-changing jump without 30 GB", { current: v("2.13.0+1"), target: v("2.14.0+1"), freeBytes: 29 * GiB }, /30\.0G required/],
    ["a newer release without 5x the archive", { target: v("2.12.0+1"), archiveBytes: 5 * GiB, freeBytes: 20 * GiB }, /25\.0G required/],
  ])("refuses %s", (_name, patch, message) => {
    const r = checkFirmwareChange({ ...base, ...patch });
    expect(r.ok).toBe(false);
    expect(r.ok ? "" : r.message).toMatch(message);
  });

  it("[U2] refuses an untested starting version unless -o overrides it", () => {
    const jump = { ...base, target: v("2.14.0+1"), freeBytes: 40 * GiB };
    const r = checkFirmwareChange(jump);
    expect(r.ok ? "" : r.message).toMatch(/has not been tested \(2\.14 was tested from 2\.13, 2\.12, 2\.11\.1, 2\.11\.2\); use -o/);
    expect(checkFirmwareChange({ ...jump, override: true })).toMatchObject({ ok: true, overriddenPath: true });
    expect(checkFirmwareChange({ ...jump, current: v("2.11.1+5") }).ok).toBe(true);
    expect(checkFirmwareChange({ ...jump, current: v("2.11.0+5") }).ok).toBe(false);
    expect(checkFirmwareChange({ ...jump, testedPaths: null }).ok).toBe(true);
  });

  it("accepts any start for a target the table does not list", () => {
    expect(checkFirmwareChange({ ...base, current: v("2.9.0+1"), target: v("2.10.0+12807") }).ok).toBe(true);
  });

  it("uses the configured free-space override", () => {
    expect(checkFirmwareChange({ ...base, freeBytes: 2 * GiB, minFreeOverride: GiB }).ok).toBe(true);
  });

  it("[D1] refuses a downgrade on a clustered node unless -o is given", () => {
    const down = { ...base, tool: "downgrade" as const, target: v("2.9.0+1"), archiveKind: "downgrade" as const, clustered: true };
    expect(checkFirmwareChange(down).ok).toBe(false);
    expect(checkFirmwareChange({ ...down, override: true }).ok).toBe(true);
  });

  it("refuses a downgrade to a version that is not older", () => {
    const r = checkFirmwareChange({ ...base, tool: "downgrade", target: v("2.11.0+1") });
    expect(r.ok ? "" : r.message).toMatch(/not older/);
  });

  it("[D2] downgrades only to the version the release notes name (2.11 -> 2.10)", () => {
    const down = { ...base, tool: "downgrade" as const, archiveKind: "downgrade" as const, downgradeTargets: DOWNGRADE_TARGETS };
    expect(checkFirmwareChange({ ...down, current: v("2.11.0+13003"), target: v("2.10.0+12807") }).ok).toBe(true);
    const skip = checkFirmwareChange({ ...down, current: v("2.11.0+13003"), target: v("2.9.0+11937") });
    expect(skip.ok ? "" : skip.message).toMatch(/can be downgraded only to 2\.10, not to 2\.9\.0\+11937/);
    const none = checkFirmwareChange({ ...down, current: v("2.12.0+1"), target: v("2.11.0+1") });
    expect(none.ok ? "" : none.message).toMatch(/no downgrade is supported from 2\.12\.0\+1/);
  });
});

import { describe, expect, it } from "vitest";
import { gib } from "./bytes";
import { parseDfOutput } from "./disk";
import { evaluateStandalonePrechecks, isPlanBlocked, type Precheck, type PrecheckId, type StandaloneFacts } from "./prechecks";
import { DEFAULT_RELEASE_CATALOG as CATALOG } from "./release-catalog";
import { parseSystemctlStatus } from "./systemctl";
import { v } from "./test-helpers";

const df = (availGiB: number) =>
  parseDfOutput(`Filesystem 1B-blocks Used Available Capacity Mounted on\n/dev/sda2 ${gib(100)} ${gib(100 - availGiB)} ${gib(availGiB)} 50% /`);
const RUNNING = parseSystemctlStatus("Active: active (running) since Tue 2024-01-02 10:00:00 UTC; 5min ago", 0);

function facts(edit: (f: StandaloneFacts) => void = () => {}): StandaloneFacts {
  const f: StandaloneFacts = {
    catalog: CATALOG,
    appliance: { id: "a1", version: v("2.10.0"), model: "CipherTrust Manager k170v", clustered: false },
    target: v("2.11.0"),
    disk: df(40),
    service: RUNNING,
    rest: { reachable: true },
    archive: { version: v("2.11.0+100"), sizeBytes: gib(5), signatureVerified: true, onAppliance: false },
    backup: { kind: "downloaded", backupDownloaded: true, keyDownloaded: true, applianceVersion: v("2.10.0"), by: "ops" },
  };
  edit(f);
  return f;
}

const byId = (checks: Precheck[], id: PrecheckId) => checks.find((c) => c.id === id);

describe("evaluateStandalonePrechecks", () => {
  it("passes a healthy 2.10 appliance with a verified 2.11 archive", () => {
    const checks = evaluateStandalonePrechecks(facts());
    expect(checks.filter((c) => c.status !== "pass")).toEqual([]);
    expect(isPlanBlocked(checks).blocked).toBe(false);
    for (const c of checks) {
      expect(c.evidence.length).toBeGreaterThan(3);
      expect(c.applianceId).toBe("a1");
    }
  });

  const cases: { name: string; edit: (f: StandaloneFacts) => void; id: PrecheckId; status: "fail" | "warn"; rule: string; text?: RegExp }[] = [
    { name: "[U7] refuses when less than 12 GB is free not counting the archive", edit: (f) => { f.disk = df(15); }, id: "disk-space", status: "fail", rule: "U7", text: /plus 5\.0 GiB for the archive/ },
    { name: "[U7] garbage df output fails the disk check instead of throwing", edit: (f) => { f.disk = parseDfOutput("permission denied"); }, id: "disk-space", status: "fail", rule: "U7" },
    { name: "[U7] 2.14 from 2.13 needs 35 GB for its database change", edit: (f) => { f.appliance.version = v("2.13.0"); f.target = v("2.14.0"); f.archive.version = v("2.14.0"); f.backup!.applianceVersion = v("2.13.0"); f.disk = df(30); }, id: "disk-space", status: "fail", rule: "U7", text: /database change/ },
    { name: "[U1][U8] an archive whose signature does not verify", edit: (f) => { f.archive.signatureVerified = false; f.archive.reason = "bad signature"; }, id: "archive-signature", status: "fail", rule: "U1", text: /does not verify/ },
    { name: "[U1][U8] a verified archive with a detached signature: the appliance's script would refuse it", edit: (f) => { f.archive.notDeployable = "ks_upgrade_2.11.0.tar.gz is verified with a detached signature"; }, id: "archive-signature", status: "fail", rule: "U1", text: /signature is detached/ },
    { name: "[U2] an untested starting version is refused", edit: (f) => { f.appliance.version = v("2.7.0"); f.backup!.applianceVersion = v("2.7.0"); }, id: "upgrade-path", status: "fail", rule: "U2", text: /No chain of tested upgrades/ },
    { name: "[U2] an admin override turns an untested hop into a warning", edit: (f) => { f.appliance.version = v("2.7.0"); f.backup!.applianceVersion = v("2.7.0"); f.override = { reason: "vendor support case 123 approved it", by: "alice" }; }, id: "upgrade-path", status: "warn", rule: "U2", text: /alice/ },
    { name: "[U2] an override without a reason is refused", edit: (f) => { f.appliance.version = v("2.7.0"); f.override = { reason: " ", by: "alice" }; }, id: "upgrade-path", status: "fail", rule: "U2", text: /reason/ },
    { name: "[U2] the archive must be the next hop, not the final one", edit: (f) => { f.appliance.version = v("2.8.0"); f.backup!.applianceVersion = v("2.8.0"); f.target = v("2.14.0"); f.archive.version = v("2.14.0"); }, id: "upgrade-path", status: "fail", rule: "U2", text: /next hop on the tested path needs 2\.11\.1 or 2\.11\.2/ },
    { name: "[U2] an override does not excuse an untested hop when a tested path exists", edit: (f) => { f.appliance.version = v("2.8.0"); f.backup!.applianceVersion = v("2.8.0"); f.target = v("2.14.0"); f.archive.version = v("2.14.0"); f.override = { reason: "hurry", by: "alice" }; }, id: "upgrade-path", status: "fail", rule: "U2", text: /tested path needs 2\.11\.1/ },
    { name: "[U2] an archive that leads nowhere further is refused", edit: (f) => { f.appliance.version = v("2.11.0"); f.backup!.applianceVersion = v("2.11.0"); f.target = v("2.14.0"); f.archive.version = v("2.11.4"); }, id: "upgrade-path", status: "fail", rule: "U2", text: /no way on to 2\.14\.0/ },
    { name: "[U10] a failed keysecure service blocks", edit: (f) => { f.service = parseSystemctlStatus("Active: failed (Result: exit-code)", 3); }, id: "service-health", status: "fail", rule: "U10" },
    { name: "[U10] a starting service means wait", edit: (f) => { f.service = parseSystemctlStatus("Active: activating (start)", 3); }, id: "service-health", status: "fail", rule: "U10", text: /still starting|not healthy/ },
    { name: "[U4] an unreachable REST API blocks (no backup, no postcheck)", edit: (f) => { f.rest = { reachable: false, error: "ECONNREFUSED" }; }, id: "rest-reachable", status: "fail", rule: "U4" },
    { name: "[U4] no backup yet is a warning the plan state machine enforces", edit: (f) => { delete f.backup; }, id: "backup", status: "warn", rule: "U4" },
    { name: "[U4] a backup without its key does not count", edit: (f) => { f.backup!.keyDownloaded = false; }, id: "backup", status: "fail", rule: "U4", text: /key/ },
    { name: "[U5] a backup from a newer version can never be restored here", edit: (f) => { f.backup!.applianceVersion = v("2.11.0"); }, id: "backup", status: "fail", rule: "U5", text: /never be restored/ },
    { name: "a clustered appliance is sent to the cluster methods", edit: (f) => { f.appliance.clustered = true; }, id: "cluster-state", status: "fail", rule: "M1" },
    { name: "an unknown version fails and says so", edit: (f) => { f.appliance.version = null; }, id: "version-observed", status: "fail", rule: "U2" },
  ];
  it.each(cases)("$name", (c) => {
    const checks = evaluateStandalonePrechecks(facts(c.edit));
    const check = byId(checks, c.id);
    expect(check?.status).toBe(c.status);
    expect(check?.ruleIds).toContain(c.rule);
    if (c.text) expect(`${check?.summary} ${check?.remedy ?? ""}`).toMatch(c.text);
    if (c.status === "fail") {
      expect(isPlanBlocked(checks).blocked).toBe(true);
      expect(check?.remedy ?? check?.summary).toBeTruthy();
    }
  });

  it("[U7] with the archive already uploaded, 12.5 GB free passes: the archive is not counted twice", () => {
    const checks = evaluateStandalonePrechecks(facts((f) => { f.disk = df(12.5); f.archive.onAppliance = true; }));
    expect(byId(checks, "disk-space")?.status).toBe("pass");
  });

  it("[U2] accepts any tested stop on the way, not only the one the planner preferred", () => {
    const checks = evaluateStandalonePrechecks(facts((f) => {
      f.appliance.version = v("2.11.0");
      f.backup!.applianceVersion = v("2.11.0");
      f.target = v("2.14.0");
      f.archive.version = v("2.12.1");
    }));
    expect(byId(checks, "upgrade-path")?.status).toBe("pass");
  });

  it("[U2] refuses 2.14 as a final target from 2.11.3 even with the archive at hand", () => {
    const checks = evaluateStandalonePrechecks(facts((f) => {
      f.appliance.version = v("2.11.3");
      f.backup!.applianceVersion = v("2.11.3");
      f.target = v("2.14.1");
      f.archive.version = v("2.14.1");
    }));
    expect(byId(checks, "upgrade-path")?.status).toBe("fail");
  });

  it("[U2] a pass-through hop passes and says -o will be used", () => {
    const checks = evaluateStandalonePrechecks(facts((f) => {
      f.appliance.version = v("2.11.3");
      f.backup!.applianceVersion = v("2.11.3");
      f.target = v("2.16.0");
      f.archive.version = v("2.14.1");
    }));
    const path = byId(checks, "upgrade-path");
    expect(path?.status).toBe("pass");
    expect(path?.summary).toMatch(/-o/);
  });
});

describe("isPlanBlocked", () => {
  const p = (status: Precheck["status"]): Precheck => ({ id: "disk-space", status, summary: "s", evidence: "e", ruleIds: [] });
  it.each([
    [[], true],
    [[p("pass")], false],
    [[p("pass"), p("warn")], false],
    [[p("pass"), p("fail")], true],
  ] as const)("%j -> blocked %s", (checks, blocked) => {
    const result = isPlanBlocked([...checks]);
    expect(result.blocked).toBe(blocked);
    expect(result.message.length).toBeGreaterThan(10);
  });
});

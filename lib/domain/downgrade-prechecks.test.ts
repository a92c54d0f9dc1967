import { describe, expect, it } from "vitest";
import { gib } from "./bytes";
import { parseDfOutput } from "./disk";
import { evaluateDowngradePrechecks, type DowngradeFacts } from "./downgrade-prechecks";
import { isPlanBlocked, type PrecheckId } from "./precheck";
import { DEFAULT_RELEASE_CATALOG as CATALOG } from "./release-catalog";
import { parseSystemctlStatus } from "./systemctl";
import { v } from "./test-helpers";

function facts(edit: (f: DowngradeFacts) => void = () => {}): DowngradeFacts {
  const f: DowngradeFacts = {
    catalog: CATALOG,
    appliance: { id: "a1", version: v("2.11.0"), model: "CipherTrust Manager k170v", clustered: false },
    target: v("2.10.0"),
    disk: parseDfOutput(`Filesystem 1B-blocks Used Available Capacity Mounted on\n/dev/sda2 ${gib(100)} ${gib(60)} ${gib(40)} 60% /`),
    service: parseSystemctlStatus("Active: active (running)", 0),
    archive: { version: v("2.10.0"), sizeBytes: gib(5), signatureVerified: true, onAppliance: false },
    backup: { kind: "downloaded", backupDownloaded: true, keyDownloaded: true, applianceVersion: v("2.11.0"), by: "ops" },
    testEnvironmentConfirmed: true,
  };
  edit(f);
  return f;
}

const status = (f: DowngradeFacts, id: PrecheckId) => evaluateDowngradePrechecks(f).find((c) => c.id === id);

describe("evaluateDowngradePrechecks", () => {
  it("[D3][D5] a confirmed test appliance may go, but the launcher is warned", () => {
    const checks = evaluateDowngradePrechecks(facts());
    expect(isPlanBlocked(checks).blocked).toBe(false);
    const impact = checks.find((c) => c.id === "downgrade-impact");
    expect(impact?.status).toBe("warn");
    expect(impact?.summary).toMatch(/wipes all data except existing backup files/);
    expect(impact?.ruleIds).toEqual(expect.arrayContaining(["D3", "D5"]));
  });

  const cases: { name: string; edit: (f: DowngradeFacts) => void; id: PrecheckId; status: string; rule: string; text?: RegExp }[] = [
    { name: "[D5] refuses until someone confirms it is a test appliance", edit: (f) => { f.testEnvironmentConfirmed = false; }, id: "downgrade-impact", status: "fail", rule: "D5" },
    { name: "[D6] tells production how to go back a version instead", edit: (f) => { f.testEnvironmentConfirmed = false; }, id: "downgrade-impact", status: "fail", rule: "D6", text: /factory reset, upgrade to the desired version, restore/ },
    { name: "[D1] refuses a clustered node", edit: (f) => { f.appliance.clustered = true; }, id: "upgrade-path", status: "fail", rule: "D1", text: /unclustered/ },
    { name: "[D1] an unknown cluster state is treated as clustered", edit: (f) => { f.appliance.clustered = null; }, id: "upgrade-path", status: "fail", rule: "D1" },
    { name: "[D1] an admin override allows a clustered node, with -o, as a warning", edit: (f) => { f.appliance.clustered = true; f.override = { reason: "lab node", by: "alice" }; }, id: "upgrade-path", status: "warn", rule: "D1", text: /-o/ },
    { name: "[D2] refuses a target other than the documented one", edit: (f) => { f.target = v("2.9.0"); f.archive.version = v("2.9.0"); }, id: "upgrade-path", status: "fail", rule: "D2" },
    { name: "[D2] refuses an archive that is not the target", edit: (f) => { f.archive.version = v("2.10.1"); }, id: "upgrade-path", status: "fail", rule: "D2", text: /not the downgrade target/ },
    { name: "[D4] warns that a k570 keeps its HSM drivers and OS packages", edit: (f) => { f.appliance.model = "CipherTrust Manager k570"; }, id: "model", status: "warn", rule: "D4" },
    { name: "[D3] a backup with its key is still required beforehand", edit: (f) => { f.backup!.keyDownloaded = false; }, id: "backup", status: "fail", rule: "D3" },
    { name: "a broken service only warns: the downgrade resets it anyway", edit: (f) => { f.service = parseSystemctlStatus("Active: failed", 3); }, id: "service-health", status: "warn", rule: "U10" },
  ];
  it.each(cases)("$name", (c) => {
    const check = status(facts(c.edit), c.id);
    expect(check?.status).toBe(c.status);
    expect(check?.ruleIds).toContain(c.rule);
    if (c.text) expect(`${check?.summary} ${check?.remedy ?? ""}`).toMatch(c.text);
  });
});

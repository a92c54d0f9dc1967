import { describe, expect, it } from "vitest";
import { parseArchiveName } from "@/lib/domain/archive-name";

const PORTAL_NAME = "610-000611-034_SW_Upgrade_Package_CipherTrust_Manager_v2.21.0_RevA.tar.gz.gpg";

describe("parseArchiveName accepts", () => {
  it.each([
    {
      title: "[U1] accepts the documented ks_upgrade name",
      name: "ks_upgrade_2.11.0+12345.tar.gz.gpg",
      want: { version: "2.11.0+12345", kind: "upgrade", form: "documented", detachedSignature: false, role: "signed-archive" },
    },
    {
      title: "[U1] accepts the Support Portal name, whose version has no build",
      name: PORTAL_NAME,
      want: { version: "2.21.0", kind: "upgrade", form: "portal", detachedSignature: false, role: "signed-archive" },
    },
    {
      title: "[D7] accepts the documented ks_downgrade name",
      name: "ks_downgrade_2.10.0+11000.tar.gz.gpg",
      want: { version: "2.10.0+11000", kind: "downgrade", form: "documented", detachedSignature: false },
    },
    {
      title: "[U1] accepts a documented name without a build number",
      name: "ks_upgrade_2.12.1.tar.gz.gpg",
      want: { version: "2.12.1", form: "documented" },
    },
    {
      title: "[U1] accepts a portal name with a build number and no revision",
      name: "610-000611-040_SW_Upgrade_Package_CipherTrust_Manager_v2.22.0+16000.tar.gz.gpg",
      want: { version: "2.22.0+16000", form: "portal" },
    },
    {
      title: "[D7] accepts a portal downgrade package",
      name: "610-000611-035_SW_Downgrade_Package_CipherTrust_Manager_v2.20.0_RevB.tar.gz.gpg",
      want: { version: "2.20.0", kind: "downgrade", form: "portal" },
    },
    {
      title: "[U1] accepts a bare .tar.gz payload that needs a detached signature",
      name: "ks_upgrade_2.11.0+12345.tar.gz",
      want: { detachedSignature: true, role: "payload", archiveFileName: "ks_upgrade_2.11.0+12345.tar.gz" },
    },
    {
      title: "[U1] accepts a binary .sig detached signature and names its payload",
      name: "ks_upgrade_2.11.0+12345.tar.gz.sig",
      want: { detachedSignature: true, role: "signature", archiveFileName: "ks_upgrade_2.11.0+12345.tar.gz" },
    },
    {
      title: "[U1] accepts an armored .asc signature of a portal payload",
      name: PORTAL_NAME.replace(/\.gpg$/, ".asc"),
      want: { version: "2.21.0", form: "portal", role: "signature", archiveFileName: PORTAL_NAME.replace(/\.gpg$/, "") },
    },
  ])("$title", ({ name, want }) => {
    const parsed = parseArchiveName(name);
    expect(parsed).toMatchObject({ ok: true, ...want });
  });
});

describe("parseArchiveName refuses, naming what is wrong", () => {
  it.each([
    { title: "[U1] refuses an empty name", name: "", reason: /empty/ },
    { title: "[U1] refuses a path with a slash", name: "../ks_upgrade_2.11.0+1.tar.gz.gpg", reason: /path separator/ },
    { title: "[U1] refuses a Windows path", name: "C:\\dl\\ks_upgrade_2.11.0+1.tar.gz.gpg", reason: /path separator/ },
    { title: "[U1] refuses '..' inside a name", name: "ks_upgrade_2.11.0+1..tar.gz.gpg", reason: /"\.\."/ },
    { title: "[U1] refuses a control character", name: "ks_upgrade_2.11.0+1\n.tar.gz.gpg", reason: /control character U\+000A/ },
    { title: "[U1] refuses a NUL byte", name: "ks_upgrade_2.11.0+1\u0000.tar.gz.gpg", reason: /U\+0000/ },
    { title: "[U8] refuses command substitution", name: "ks_upgrade_$(reboot).tar.gz.gpg", reason: /'\$', a shell metacharacter/ },
    { title: "[U8] refuses a semicolon", name: "ks_upgrade_2.11.0;rm.tar.gz.gpg", reason: /';'/ },
    { title: "[U8] refuses a browser's duplicate-download name", name: "ks_upgrade_2.11.0+1 (1).tar.gz.gpg", reason: /a space/ },
    { title: "[U8] refuses a backtick", name: "ks_upgrade_`id`.tar.gz.gpg", reason: /'`'/ },
    { title: "[U8] refuses a leading dash", name: "-f.tar.gz.gpg", reason: /starts with '-'/ },
    { title: "[U1] refuses a hidden file", name: ".ks_upgrade_2.11.0+1.tar.gz.gpg", reason: /starts with '\.'/ },
    { title: "[U1] refuses non-ASCII look-alikes", name: "ks_upgrade_2.11.0\u2215x.tar.gz.gpg", reason: /only letters, digits/ },
    { title: "[U1] refuses an over-long name", name: `ks_upgrade_2.11.0+${"1".repeat(250)}.tar.gz.gpg`, reason: /at most 255/ },
    { title: "[U1] refuses an unknown extension", name: "ks_upgrade_2.11.0+12345.zip", reason: /does not end in \.tar\.gz\.gpg/ },
    { title: "[U1] refuses a .tgz", name: "ks_upgrade_2.11.0+12345.tgz.gpg", reason: /does not end in/ },
    { title: "[U1] refuses a name with no version", name: "upgrade.tar.gz.gpg", reason: /names no version/ },
    { title: "[U1] refuses ks_upgrade without a version", name: "ks_upgrade_latest.tar.gz.gpg", reason: /"latest" .* is not a version/ },
    { title: "[U1] refuses a two-part version", name: "ks_upgrade_2.11+12345.tar.gz.gpg", reason: /is not a version/ },
    { title: "[U1] refuses an unknown naming scheme", name: "cm-firmware-2.11.0.tar.gz.gpg", reason: /neither ks_upgrade_/ },
  ])("$title", ({ name, reason }) => {
    const parsed = parseArchiveName(name);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toMatch(reason);
  });

  it("[U1] counts the length in bytes, not characters", () => {
    // 130 'é' are 130 characters but 260 bytes: the file system's limit is in bytes.
    const parsed = parseArchiveName("é".repeat(130));
    expect(parsed).toMatchObject({ ok: false, reason: expect.stringMatching(/260 bytes/) });
  });
});

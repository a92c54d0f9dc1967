// The pure pieces of the driver: argv quoting, profile templates, output tails and line splitting,
// fingerprints, and key generation that never returns a malformed key.
import { describe, expect, it } from "vitest";
import ssh2 from "ssh2";
import { AppError } from "@/lib/errors";
import { commandLineOf } from "./ssh-exec";
import { DEFAULT_DRIVER_PROFILE, parseDriverProfile, renderArgv } from "./driver-profile";
import { LineSplitter, OutputTail, lastLines } from "./output-tail";
import { normalizeCertFingerprint, normalizeSshFingerprint, sshKeyAlgorithmOf } from "./fingerprints";
import { generateSshKeyPair } from "./ssh-keys";

describe("commandLineOf", () => {
  it.each([
    [["sha256sum", "/home/ksadmin/a b.gpg"], "sha256sum '/home/ksadmin/a b.gpg'"],
    [["echo", "x; rm -rf /"], "echo 'x; rm -rf /'"],
    [["echo", "$(id)"], "echo \\$\\(id\\)"],
    [["echo", ""], "echo ''"],
  ])("%j -> %s", (argv, line) => expect(commandLineOf(argv)).toBe(line));

  it("refuses an empty argv and NUL bytes", () => {
    expect(() => commandLineOf([])).toThrow(AppError);
    expect(() => commandLineOf(["echo", "a\0b"])).toThrow(/NUL/);
  });
});

describe("driver profile", () => {
  it("renders the contract's upgrade command with the archive as one argument", () => {
    expect(renderArgv(DEFAULT_DRIVER_PROFILE.commands.upgrade, { archive: "/home/ksadmin/ks_upgrade_2.11.0+1.tar.gz.gpg" })).toEqual([
      "sudo", "/opt/keysecure/ks_upgrade.sh", "-f", "/home/ksadmin/ks_upgrade_2.11.0+1.tar.gz.gpg",
    ]);
  });

  it.each([["-o"], [""], ["--help"]])("refuses %j as a value (it would read as an option)", (value) => {
    expect(() => renderArgv(["sha256sum", "{path}"], { path: value })).toThrow(AppError);
  });

  it("refuses a template whose placeholder has no value", () => {
    expect(() => renderArgv(["sha256sum", "{path}"])).toThrow(/no value for \{path\}/);
  });

  it("merges an operator's override over the default and validates it", () => {
    const p = parseDriverProfile({ name: "site-a", commands: { disableClientTraffic: ["sudo", "systemctl", "stop", "nae"] } });
    expect(p.commands.disableClientTraffic).toEqual(["sudo", "systemctl", "stop", "nae"]);
    expect(p.commands.upgrade).toEqual(DEFAULT_DRIVER_PROFILE.commands.upgrade);
    expect(() => parseDriverProfile({ commands: { reboot: [] } })).toThrow(/commands\.reboot/);
    expect(() => parseDriverProfile({ patterns: { upgradeSucceeded: "(" } })).toThrow(/regular expression/);
    expect(() => parseDriverProfile({ shell: "bash" })).toThrow(AppError);
  });

  it("recognises the vendor's success and reboot lines", () => {
    const m = new RegExp(DEFAULT_DRIVER_PROFILE.patterns.upgradeSucceeded).exec("Upgrade to 2.21.0+15451 succeeded");
    expect(m?.[1]).toBe("2.21.0+15451");
    expect(new RegExp(DEFAULT_DRIVER_PROFILE.patterns.rebootRequested).test("Reboot the instance to finish the upgrade")).toBe(true);
  });
});

describe("output", () => {
  it("keeps the tail of long output", () => {
    const t = new OutputTail(10);
    for (let i = 0; i < 100; i++) t.push(`${i}\n`);
    expect(t.toString()).toBe("\n97\n98\n99\n");
    expect(t.truncated).toBe(true);
  });

  it("splits lines across chunk boundaries, CRLF and bare CR", () => {
    const lines: string[] = [];
    const s = new LineSplitter((l) => lines.push(l));
    for (const chunk of ["sta", "tus: error\r", "\nstatus: star", "ting\rprogress 50%\rdone\n", "Upgrade to 2.1", "1.0+1 succeeded"]) s.push(chunk);
    s.flush();
    expect(lines).toEqual(["status: error", "status: starting", "progress 50%", "done", "Upgrade to 2.11.0+1 succeeded"]);
    expect(lastLines("a\nb\nc\n", 2)).toEqual(["b", "c"]);
  });
});

describe("fingerprints and keys", () => {
  it("normalises what admins paste", () => {
    expect(normalizeSshFingerprint(" abc= ")).toBe("SHA256:abc");
    expect(normalizeCertFingerprint("AB:CD:ef")).toBe("abcdef");
  });

  it("generates only keys that ssh2 can parse (ssh2 alone fails about 1 in 256)", () => {
    for (let i = 0; i < 600; i++) {
      const k = generateSshKeyPair();
      const parsed = ssh2.utils.parseKey(k.privateKey);
      expect(parsed).not.toBeInstanceOf(Error);
      const blob = Buffer.from(k.publicKey.split(" ")[1] ?? "", "base64");
      expect(sshKeyAlgorithmOf(blob)).toBe("ssh-ed25519");
      expect(blob.length).toBe(4 + 11 + 4 + 32);
    }
  });
});

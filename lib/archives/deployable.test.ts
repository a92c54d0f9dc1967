import { describe, expect, it } from "vitest";
import { archiveCandidateFlags, deployableArchive } from "./deployable";

const row = (fileName: string, format: string | null, status = "verified", kind = "upgrade") => ({ fileName, format, status, kind, version: "2.11.0" });

describe("deployableArchive", () => {
  it.each([
    ["a verified .tar.gz.gpg (compressed)", row("ks_upgrade_2.11.0.tar.gz.gpg", "compressed"), true],
    ["a verified .tar.gz.gpg (uncompressed)", row("ks_upgrade_2.11.0.tar.gz.gpg", "uncompressed"), true],
    ["a verified .tar.gz with a detached signature", row("ks_upgrade_2.11.0.tar.gz", "detached"), false],
    ["a .tar.gz whatever its recorded format", row("ks_upgrade_2.11.0.tar.gz", null), false],
    ["a refused .tar.gz.gpg", row("ks_upgrade_2.11.0.tar.gz.gpg", null, "refused"), false],
  ])("%s: deployable %s", (_name, r, expected) => {
    expect(deployableArchive(r).deployable).toBe(expected);
  });

  it("names the file, the appliance's tool and what to upload instead", () => {
    expect(deployableArchive(row("ks_upgrade_2.11.0.tar.gz", "detached")).reason).toBe(
      "ks_upgrade_2.11.0.tar.gz is verified with a detached signature; ks_upgrade.sh on the appliance checks the signature inside the archive, so it would refuse this file. Upload the vendor's signed .tar.gz.gpg of 2.11.0.",
    );
    expect(deployableArchive(row("ks_downgrade_2.11.0.tar.gz", "detached", "verified", "downgrade")).reason).toMatch(/ks_downgrade\.sh on the appliance/);
  });

  it("as a path candidate: only a deployable archive serves a hop; a detached one carries its reason, a refused one none", () => {
    expect(archiveCandidateFlags(row("ks_upgrade_2.11.0.tar.gz.gpg", "compressed"))).toEqual({ verified: true });
    expect(archiveCandidateFlags(row("ks_upgrade_2.11.0.tar.gz", "detached"))).toEqual({ verified: false, notDeployableReason: expect.stringMatching(/detached signature/) });
    expect(archiveCandidateFlags(row("ks_upgrade_2.11.0.tar.gz.gpg", null, "refused"))).toEqual({ verified: false });
  });
});

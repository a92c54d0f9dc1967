// The console upgrades a real OpenSSH server (Debian's sshd, ksadmin, its own host key) with shell
// stand-ins for the vendor's tools: the SSH layer proven against the server appliances run.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SYSTEM_ACTOR } from "@/lib/audit/append-audit-event";
import { startConsoleFixture, type ConsoleFixture } from "@/lib/testing/console-fixture";
import { waitForPlanState } from "@/lib/testing/in-process-worker";
import { createSshIdentity } from "@/lib/fleet/ssh-identities";
import { enrolAppliance, probeForEnrolment } from "@/lib/fleet/enrol-appliance";
import { createPlan } from "@/lib/plans/create-plan";
import { confirmBackup } from "@/lib/plans/confirm-backup";
import { launchPlan } from "@/lib/plans/launch-plan";
import { loadApplianceAccess } from "@/lib/fleet/appliance-access";
import { openSshSession } from "@/lib/appliance/ssh-session";
import { KSADMIN_HOME, startOpensshAppliance, type OpensshAppliance } from "@/lib/appliance/testing/openssh-appliance";
import { flipByte, makeSignedArchive } from "@/simulator/archives";

const GiB = 1024 ** 3;
const FROM = "2.10.0+12807";
const TO = "2.11.0+13003";
let f: ConsoleFixture;
const standIns: OpensshAppliance[] = [];

/** Enrolment as an admin does it: probe, accept the fingerprints seen, pin them. */
async function enrolStandIn(name: string, diskFreeBytes?: number) {
  const identity = await createSshIdentity(f.env.db, SYSTEM_ACTOR, { name: `test-${name}` });
  const box = await startOpensshAppliance({ name, version: FROM, authorizedKeys: [identity.publicKey], diskFreeBytes });
  standIns.push(box);
  const seen = await probeForEnrolment({ host: box.host, sshPort: box.sshPort, restUrl: box.restUrl });
  expect(seen.sshHostKeyFingerprint).toBe(box.hostKeyFingerprint);
  const appliance = await enrolAppliance(f.env.db, SYSTEM_ACTOR, {
    name, host: box.host, sshPort: box.sshPort, restUrl: box.restUrl, sshIdentityId: identity.id,
    restUsername: "admin", restPassword: "admin",
    acceptedSshHostKeyFingerprint: seen.sshHostKeyFingerprint, acceptedRestCertFingerprint: seen.restCertFingerprint,
  });
  return { box, applianceId: appliance.id };
}

beforeAll(async () => {
  f = await startConsoleFixture("openssh", { deadlineScale: 0.01, archives: [TO] });
});

afterAll(async () => {
  for (const b of standIns) await b.stop();
  await f?.stop();
});

describe("a real OpenSSH server as an appliance", () => {
  it("upgrades it end to end: SFTP upload, real sha256sum, ks_upgrade.sh once, new version after the postcheck", async () => {
    const { box, applianceId } = await enrolStandIn("openssh-ok");
    const plan = await createPlan(f.env.db, f.actor, { applianceId, targetVersion: TO });
    await confirmBackup(f.env.db, f.actor, plan.id);
    await launchPlan(f.env.db, f.actor, plan.id);
    const final = await waitForPlanState(f.env.db, plan.id, ["succeeded", "failed"], 120_000);
    const steps = await f.env.db.step.findMany({ where: { planId: plan.id }, orderBy: { position: "asc" } });
    expect(final, JSON.stringify(steps.map((s) => [s.kind, s.state, s.outcome]))).toBe("succeeded");

    const archive = await f.env.db.archive.findFirstOrThrow({ where: { version: TO, status: "verified" } });
    const onServer = path.join(KSADMIN_HOME, archive.fileName);
    // The copy arrived whole: the verify step ran the server's own sha256sum (the stand-ins do not
    // replace it) on the SFTP-uploaded file; cleanup then removed it from ksadmin's home.
    const verify = steps.find((s) => s.kind === "verify-upload")!;
    expect(verify.output).toContain(`sha256sum ${onServer}: ${archive.sha256}`);
    expect(fs.existsSync(path.join(box.binDir, "sha256sum"))).toBe(false);
    expect(steps.find((s) => s.kind === "upload-archive")!.outcome).toMatch(/^uploaded \d+ bytes/);
    expect(fs.existsSync(onServer)).toBe(false);

    const runs = box.upgradeRuns();
    expect(runs).toHaveLength(1);
    expect(runs[0]).toContain(onServer);
    expect(steps.find((s) => s.kind === "run-upgrade")!.output).toContain(`Upgrade to ${TO} succeeded`);
    expect(box.reboots()).toHaveLength(1);
    expect(box.version()).toBe(TO);
    const row = await f.env.db.appliance.findUniqueOrThrow({ where: { id: applianceId } });
    expect(row.version).toBe(TO);
    expect(steps.find((s) => s.kind === "postcheck")!.state).toBe("succeeded");
  });

  it("refuses low disk (the configured df) before any upload", async () => {
    const { box, applianceId } = await enrolStandIn("openssh-lowdisk", 4 * GiB);
    const plan = await createPlan(f.env.db, f.actor, { applianceId, targetVersion: TO });
    const disk = await f.env.db.precheck.findFirstOrThrow({ where: { planId: plan.id, checkId: "disk-space" } });
    expect(disk.status).toBe("fail");
    await confirmBackup(f.env.db, f.actor, plan.id);
    await expect(launchPlan(f.env.db, f.actor, plan.id)).rejects.toThrow(/Precheck failed/);
    expect(fs.readdirSync(KSADMIN_HOME).filter((n) => n.includes(".tar.gz"))).toEqual([]);
    expect(box.upgradeRuns()).toEqual([]);
    expect(box.reboots()).toEqual([]);
  });

  it("its ks_upgrade.sh refuses a tampered archive by gpg --verify, over the console's SSH session", async () => {
    const { box, applianceId } = await enrolStandIn("openssh-tamper");
    const made = await makeSignedArchive({ dir: f.env.dataDir, version: "2.12.0+14001", sizeBytes: 64 * 1024 });
    await flipByte(made.path, Math.floor(made.sizeBytes / 2));
    const access = await loadApplianceAccess(f.env.db, applianceId);
    const session = await openSshSession(access.endpoint, access.credentials, access.trust);
    try {
      const remote = `${KSADMIN_HOME}/${made.fileName}`;
      await session.upload(made.path, remote);
      const r = await session.exec(["sudo", "/opt/keysecure/ks_upgrade.sh", "-f", remote], { timeoutMs: 30_000 });
      expect(r.exitCode).toBe(1);
      expect(r.stderr).toMatch(/signature verification .* failed/);
      expect(r.stdout).not.toMatch(/succeeded/);
    } finally {
      await session.close();
    }
    expect(box.upgradeRuns()).toHaveLength(1);
    expect(box.version()).toBe(FROM);
  });
});

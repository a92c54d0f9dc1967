// Enrolment pins exactly what the admin accepted, reads version and model over REST, and keeps
// the secrets sealed.
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestEnv, type TestEnv } from "@/lib/testing/test-env";
import { SYSTEM_ACTOR } from "@/lib/audit/append-audit-event";
import { createSshIdentity } from "@/lib/fleet/ssh-identities";
import { enrolAppliance, probeForEnrolment } from "@/lib/fleet/enrol-appliance";
import { startAppliance, type SimulatedAppliance } from "@/simulator/appliance";

let env: TestEnv;
let sim: SimulatedAppliance;
let identityId: string;

beforeAll(async () => {
  env = await createTestEnv("enrol");
  const identity = await createSshIdentity(env.db, SYSTEM_ACTOR, { name: "ksadmin-key" });
  identityId = identity.id;
  sim = await startAppliance({ name: "cm-enrol", version: "2.9.0+11937", stateDir: path.join(env.dataDir, "sim"), authorizedKeys: [identity.publicKey], model: "CipherTrust Manager k570" });
});

afterAll(async () => {
  await sim?.stop();
  await env?.cleanup();
});

describe("enrolment", () => {
  const input = () => ({ name: "cm-enrol", host: sim.host, sshPort: sim.sshPort, restUrl: sim.restUrl, sshIdentityId: identityId, restUsername: "admin", restPassword: "admin" });

  it("[U3] shows both fingerprints before any credential is sent, then pins them", async () => {
    const seen = await probeForEnrolment({ host: sim.host, sshPort: sim.sshPort, restUrl: sim.restUrl });
    expect(seen.sshHostKeyFingerprint).toBe(sim.sshHostKeyFingerprint);
    expect(seen.restCertFingerprint).toBe(sim.restCertFingerprint);
    expect(sim.record.some((r) => r.channel === "rest" && r.what.includes("auth"))).toBe(false);

    await expect(enrolAppliance(env.db, SYSTEM_ACTOR, { ...input(), acceptedSshHostKeyFingerprint: `SHA256:${"A".repeat(43)}`, acceptedRestCertFingerprint: seen.restCertFingerprint })).rejects.toThrow(/not what you accepted/);
    expect(await env.db.appliance.count()).toBe(0);

    const a = await enrolAppliance(env.db, SYSTEM_ACTOR, { ...input(), acceptedSshHostKeyFingerprint: seen.sshHostKeyFingerprint, acceptedRestCertFingerprint: seen.restCertFingerprint });
    expect(a.version).toBe("2.9.0+11937");
    expect(a.model).toBe("CipherTrust Manager k570");
    const row = await env.db.appliance.findUniqueOrThrow({ where: { id: a.id } });
    expect(row.sshHostKeyFingerprint).toBe(sim.sshHostKeyFingerprint);
    expect(row.restPasswordEncrypted).not.toContain("admin");
    const key = await env.db.sshIdentity.findUniqueOrThrow({ where: { id: identityId } });
    expect(key.encryptedPrivateKey).not.toMatch(/PRIVATE KEY/);
    const audit = await env.db.auditEvent.findMany({ where: { action: "appliance-enrolled" } });
    expect(audit).toHaveLength(1);
  });
});

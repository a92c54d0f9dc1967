// Secrets at rest: a full dump of the database holds no private key and no REST password in the clear.
import { execFileSync } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestEnv, type TestEnv } from "@/lib/testing/test-env";
import { SYSTEM_ACTOR } from "@/lib/audit/append-audit-event";
import { createSshIdentity, revealPrivateKey } from "@/lib/fleet/ssh-identities";
import { enrolAppliance, probeForEnrolment } from "@/lib/fleet/enrol-appliance";
import { startAppliance, type SimulatedAppliance } from "@/simulator/appliance";

const REST_PASSWORD = "Sup3r-Secret-REST-pass";
let env: TestEnv;
let sim: SimulatedAppliance;
let identityId: string;

beforeAll(async () => {
  env = await createTestEnv("secrets");
  const identity = await createSshIdentity(env.db, SYSTEM_ACTOR, { name: "dump-key" });
  identityId = identity.id;
  sim = await startAppliance({ name: "cm-dump", version: "2.10.0+12807", stateDir: path.join(env.dataDir, "sim"), authorizedKeys: [identity.publicKey], restUsers: [{ username: "admin", password: REST_PASSWORD }] });
  const seen = await probeForEnrolment({ host: sim.host, sshPort: sim.sshPort, restUrl: sim.restUrl });
  await enrolAppliance(env.db, SYSTEM_ACTOR, { name: "cm-dump", host: sim.host, sshPort: sim.sshPort, restUrl: sim.restUrl, sshIdentityId: identity.id, restUsername: "admin", restPassword: REST_PASSWORD, acceptedSshHostKeyFingerprint: seen.sshHostKeyFingerprint, acceptedRestCertFingerprint: seen.restCertFingerprint });
});
afterAll(async () => {
  await sim?.stop();
  await env?.cleanup();
});

describe("secrets at rest", () => {
  it("leaves no private key material and no REST password readable in a pg_dump", async () => {
    const privateKey = await revealPrivateKey(env.db, identityId);
    const body = privateKey.split("\n").filter((l) => l && !l.startsWith("-----")).join("");
    const dump = execFileSync("pg_dump", ["--no-owner", env.databaseUrl], { maxBuffer: 64 * 1024 * 1024 }).toString();
    expect(dump).toContain("cm-dump"); // the dump is real and holds the appliance row
    expect(dump).not.toMatch(/PRIVATE KEY/);
    expect(dump).not.toContain(body.slice(0, 40));
    expect(dump).not.toContain(REST_PASSWORD);
  });
});

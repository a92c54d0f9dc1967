// Bulk enrolment answers every row: enrolled, refused with the reason, or probed for fingerprints.
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestEnv, type TestEnv } from "@/lib/testing/test-env";
import { SYSTEM_ACTOR } from "@/lib/audit/append-audit-event";
import { createSshIdentity } from "@/lib/fleet/ssh-identities";
import { bulkEnrol } from "@/lib/fleet/bulk-enrol";
import { startAppliance, type SimulatedAppliance } from "@/simulator/appliance";

let env: TestEnv;
const sims: SimulatedAppliance[] = [];

beforeAll(async () => {
  env = await createTestEnv("bulk");
  const identity = await createSshIdentity(env.db, SYSTEM_ACTOR, { name: "fleet-key" });
  for (const name of ["cm-b1", "cm-b2"]) {
    sims.push(await startAppliance({ name, version: "2.10.0+12807", stateDir: path.join(env.dataDir, name), authorizedKeys: [identity.publicKey] }));
  }
});

afterAll(async () => {
  await Promise.all(sims.map((s) => s.stop()));
  await env?.cleanup();
});

describe("bulk enrolment", () => {
  it("gives one truthful result per row", async () => {
    const [a, b] = sims as [SimulatedAppliance, SimulatedAppliance];
    const csv = [
      "name,host,sshPort,restUrl,sshIdentity,restUsername,restPassword,sshHostKeyFingerprint,restCertFingerprint",
      `cm-b1,${a.host},${a.sshPort},${a.restUrl},fleet-key,admin,admin,${a.sshHostKeyFingerprint},${a.restCertFingerprint}`,
      `cm-b2,${b.host},${b.sshPort},${b.restUrl},fleet-key,admin,admin,,`,
      `cm-b3,${b.host},${b.sshPort},${b.restUrl},no-such-key,admin,admin,,`,
      `cm-b4,${b.host},${b.sshPort},http://${b.host}:1,fleet-key,admin,admin,${b.sshHostKeyFingerprint},${b.restCertFingerprint}`,
    ].join("\n");
    const results = await bulkEnrol(env.db, SYSTEM_ACTOR, csv);
    expect(results.map((r) => [r.row, r.outcome])).toEqual([[2, "enrolled"], [3, "needs-fingerprints"], [4, "refused"], [5, "refused"]]);
    expect(results[1]).toMatchObject({ sshHostKeyFingerprint: b.sshHostKeyFingerprint, restCertFingerprint: b.restCertFingerprint });
    expect(results[2]).toMatchObject({ reason: expect.stringContaining("no SSH identity named") });
    expect(results[3]).toMatchObject({ reason: expect.stringContaining("https") });
    expect(await env.db.appliance.count()).toBe(1);
  });

  it("refuses a file that is not CSV with the expected header named", async () => {
    const results = await bulkEnrol(env.db, SYSTEM_ACTOR, 'name,host\n"unterminated');
    expect(results[0]).toMatchObject({ outcome: "refused", reason: expect.stringContaining("Expected a header row") });
  });
});

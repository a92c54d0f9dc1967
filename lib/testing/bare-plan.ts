// A running standalone plan on an appliance that is never reached: enough rows for tests of what
// hangs off a plan (its events, its feed) without a simulator. Returns the plan's id.
import type { Db } from "@/lib/db/client";

export async function createBarePlan(db: Db): Promise<string> {
  const identity = await db.sshIdentity.create({ data: { name: "k", publicKey: "x", fingerprint: "x", encryptedPrivateKey: "x", createdBy: "t" } });
  const appliance = await db.appliance.create({ data: { name: "a", host: "127.0.0.1", restUrl: "https://127.0.0.1:1", sshIdentityId: identity.id, restUsername: "u", restPasswordEncrypted: "x", sshHostKeyFingerprint: "x", restCertFingerprint: "x", restCertPem: "x" } });
  const plan = await db.upgradePlan.create({ data: { method: "standalone", applianceId: appliance.id, fromVersion: "2.10.0", targetVersion: "2.11.0", hops: [], state: "running", createdBy: "t" } });
  return plan.id;
}

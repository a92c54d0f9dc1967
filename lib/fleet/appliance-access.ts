// Decrypts what the driver needs to reach one appliance. Called by workers and services just
// before talking to the appliance; the result is never stored or sent to a browser.
import type { Db } from "@/lib/db/client";
import { decryptSecret } from "@/lib/secrets/envelope";
import { revealPrivateKey } from "@/lib/fleet/ssh-identities";
import type { ApplianceCredentials, ApplianceEndpoint, ApplianceTrust } from "@/lib/appliance/types";

export interface ApplianceAccess {
  endpoint: ApplianceEndpoint;
  credentials: ApplianceCredentials;
  trust: ApplianceTrust;
}

export async function loadApplianceAccess(db: Db, applianceId: string): Promise<ApplianceAccess> {
  const a = await db.appliance.findUniqueOrThrow({ where: { id: applianceId } });
  return {
    endpoint: { host: a.host, sshPort: a.sshPort, restUrl: a.restUrl },
    credentials: {
      sshUser: "ksadmin",
      privateKey: await revealPrivateKey(db, a.sshIdentityId),
      restUsername: a.restUsername,
      restPassword: decryptSecret(a.restPasswordEncrypted, `appliance-rest:${a.id}`),
    },
    trust: { sshHostKeyFingerprint: a.sshHostKeyFingerprint, restCertFingerprint: a.restCertFingerprint, restCertPem: a.restCertPem },
  };
}

export async function listAppliances(db: Db) {
  return db.appliance.findMany({
    orderBy: { name: "asc" },
    omit: { restPasswordEncrypted: true, restCertPem: true },
    include: { cluster: { select: { id: true, name: true } }, plans: { orderBy: { createdAt: "desc" }, take: 1, select: { id: true, state: true, targetVersion: true } } },
  });
}

// An enrolled simulated appliance for integration tests: a real SSH and HTTPS server on loopback,
// enrolled through the same service an admin uses (probe, accept, pin).
import path from "node:path";
import type { Db } from "@/lib/db/client";
import { SYSTEM_ACTOR } from "@/lib/audit/append-audit-event";
import { createSshIdentity } from "@/lib/fleet/ssh-identities";
import { enrolAppliance, probeForEnrolment } from "@/lib/fleet/enrol-appliance";
import { startAppliance, type SimulatedAppliance } from "@/simulator/appliance";
import type { ApplianceConfig } from "@/simulator/config";

export interface EnrolledSimulator {
  sim: SimulatedAppliance;
  applianceId: string;
}

export async function startEnrolledAppliance(db: Db, dataDir: string, config: Partial<ApplianceConfig> & { name: string; version: string }): Promise<EnrolledSimulator> {
  const identity = await createSshIdentity(db, SYSTEM_ACTOR, { name: `test-${config.name}` });
  const sim = await startAppliance({ stateDir: path.join(dataDir, "sim", config.name), timeScale: 0.002, ...config, authorizedKeys: [identity.publicKey] });
  const seen = await probeForEnrolment({ host: sim.host, sshPort: sim.sshPort, restUrl: sim.restUrl });
  const appliance = await enrolAppliance(db, SYSTEM_ACTOR, {
    name: config.name, host: sim.host, sshPort: sim.sshPort, restUrl: sim.restUrl, sshIdentityId: identity.id,
    restUsername: "admin", restPassword: "admin",
    acceptedSshHostKeyFingerprint: seen.sshHostKeyFingerprint, acceptedRestCertFingerprint: seen.restCertFingerprint,
  });
  return { sim, applianceId: appliance.id };
}

// A simulated CipherTrust Manager (simulator/appliance.ts) plus what the driver needs to reach it:
// endpoint, credentials for ksadmin and the REST admin, and the trust an admin would have pinned.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { generateSshKeyPair } from "../ssh-keys";
import { startAppliance, type SimulatedAppliance } from "@/simulator/appliance";
import type { ApplianceConfig } from "@/simulator/config";
import { readPresentedCertificate } from "../read-tls-certificate";
import type { ApplianceCredentials, ApplianceEndpoint, ApplianceTrust } from "../types";

export interface SimulatedTarget {
  appliance: SimulatedAppliance;
  endpoint: ApplianceEndpoint;
  credentials: ApplianceCredentials;
  trust: ApplianceTrust;
  stop(): Promise<void>;
}

export async function startSimulatedTarget(overrides: Partial<ApplianceConfig> = {}): Promise<SimulatedTarget> {
  const key = generateSshKeyPair("console@test");
  const stateDir = await mkdtemp(path.join(tmpdir(), "fuc-sim-"));
  const config: ApplianceConfig = {
    name: `cm-${path.basename(stateDir).slice(-6).replace(/[^A-Za-z0-9]/g, "x")}`,
    timeScale: 0.002,
    restUsers: [{ username: "admin", password: "Adm1n-pass" }],
    ...overrides,
    stateDir,
    authorizedKeys: [key.publicKey],
  };
  const appliance = await startAppliance(config).catch(async (e: Error) => {
    // The simulator's host key comes from ssh2's generateKeyPairSync, which makes a malformed
    // ed25519 key about once in 256 (see ../ssh-keys.ts); a fresh stateDir gets a fresh key.
    await rm(stateDir, { recursive: true, force: true });
    if (!/Malformed OpenSSH private key/.test(e.message)) throw e;
    return startAppliance(config);
  });
  const endpoint = { host: appliance.host, sshPort: appliance.sshPort, restUrl: appliance.restUrl };
  // What enrolment stores: the fingerprints the simulator reports, and the PEM the probe read.
  const cert = await readPresentedCertificate(appliance.host, appliance.restPort, 5_000);
  return {
    appliance,
    endpoint,
    credentials: { sshUser: "ksadmin", privateKey: key.privateKey, restUsername: "admin", restPassword: "Adm1n-pass" },
    trust: { sshHostKeyFingerprint: appliance.sshHostKeyFingerprint, restCertFingerprint: appliance.restCertFingerprint, restCertPem: cert.pem },
    async stop() {
      await appliance.stop();
      await rm(stateDir, { recursive: true, force: true });
    },
  };
}

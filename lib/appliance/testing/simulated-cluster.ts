// A simulated cluster (simulator/fleet.ts) plus what the driver needs to reach each node: endpoint,
// credentials and pinned trust, as enrolment would have stored them. Nodes share their ports and
// differ by address, as real nodes do.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { startFleet, type SimulatedFleet } from "@/simulator/fleet";
import type { ApplianceConfig } from "@/simulator/config";
import { generateSshKeyPair } from "../ssh-keys";
import { readPresentedCertificate } from "../read-tls-certificate";
import type { SimulatedTarget } from "./simulated-appliance";

export interface SimulatedCluster {
  fleet: SimulatedFleet;
  nodes: SimulatedTarget[];
  stop(): Promise<void>;
}

export async function startSimulatedCluster(opts: { size?: number; formed?: boolean; defaults?: Partial<ApplianceConfig> } = {}): Promise<SimulatedCluster> {
  const key = generateSshKeyPair("console@test");
  const stateDir = await mkdtemp(path.join(tmpdir(), "fuc-simcluster-"));
  const name = `c${path.basename(stateDir).slice(-6).replace(/[^A-Za-z0-9]/g, "x")}`;
  const fleet = await startFleet({
    stateDir,
    timeScale: 0.002,
    defaults: { authorizedKeys: [key.publicKey], restUsers: [{ username: "admin", password: "Adm1n-pass" }] },
    clusters: [{
      name,
      formed: opts.formed ?? true,
      defaults: opts.defaults ?? {},
      nodes: Array.from({ length: opts.size ?? 3 }, (_, i) => ({ name: `${name}-${i + 1}` })),
    }],
  });
  const credentials = { sshUser: "ksadmin", privateKey: key.privateKey, restUsername: "admin", restPassword: "Adm1n-pass" };
  const nodes: SimulatedTarget[] = [];
  for (const appliance of fleet.clusters[0]?.nodes ?? []) {
    const cert = await readPresentedCertificate(appliance.host, appliance.restPort, 5_000);
    nodes.push({
      appliance,
      endpoint: { host: appliance.host, sshPort: appliance.sshPort, restUrl: appliance.restUrl },
      credentials,
      trust: { sshHostKeyFingerprint: appliance.sshHostKeyFingerprint, restCertFingerprint: appliance.restCertFingerprint, restCertPem: cert.pem },
      stop: () => appliance.stop(),
    });
  }
  return {
    fleet,
    nodes,
    async stop() {
      await fleet.stop();
      await rm(stateDir, { recursive: true, force: true });
    },
  };
}

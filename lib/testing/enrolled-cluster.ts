// A simulated 3-node cluster enrolled the way an admin does it: the entry node by probe and
// accept, then the members from its node list, each fingerprint accepted [F3][F6].
import path from "node:path";
import type { Db } from "@/lib/db/client";
import { SYSTEM_ACTOR } from "@/lib/audit/append-audit-event";
import { createSshIdentity } from "@/lib/fleet/ssh-identities";
import { enrolAppliance, probeForEnrolment } from "@/lib/fleet/enrol-appliance";
import { confirmClusterMembers, discoverCluster } from "@/lib/fleet/enrol-cluster";
import { startFleet, type SimulatedFleet } from "@/simulator/fleet";
import type { ApplianceConfig } from "@/simulator/config";
import type { SimulatedAppliance } from "@/simulator/appliance";

export interface EnrolledCluster {
  fleet: SimulatedFleet;
  clusterId: string;
  nodes: { sim: SimulatedAppliance; applianceId: string }[];
}

export async function startEnrolledCluster(db: Db, dataDir: string, name: string, opts: { size?: number; defaults?: Partial<ApplianceConfig>; nodes?: Partial<ApplianceConfig>[] } = {}): Promise<EnrolledCluster> {
  const identity = await createSshIdentity(db, SYSTEM_ACTOR, { name: `${name}-key` });
  const size = opts.size ?? 3;
  const fleet = await startFleet({
    stateDir: path.join(dataDir, name),
    timeScale: 0.002,
    defaults: { authorizedKeys: [identity.publicKey] },
    clusters: [{ name, defaults: { version: "2.10.0+12807", ...opts.defaults }, nodes: Array.from({ length: size }, (_, i) => ({ name: `${name}-${i + 1}`, ...opts.nodes?.[i] })) }],
  });
  const sims = fleet.clusters[0]!.nodes;
  const entry = sims[0]!;
  const seen = await probeForEnrolment({ host: entry.host, sshPort: entry.sshPort, restUrl: entry.restUrl });
  const first = await enrolAppliance(db, SYSTEM_ACTOR, {
    name: entry.name, host: entry.host, sshPort: entry.sshPort, restUrl: entry.restUrl, sshIdentityId: identity.id, restUsername: "admin", restPassword: "admin",
    acceptedSshHostKeyFingerprint: seen.sshHostKeyFingerprint, acceptedRestCertFingerprint: seen.restCertFingerprint,
  });
  const found = await discoverCluster(db, first.id);
  const members = found.members.filter((m) => !m.isEntry).map((m) => {
    const sim = sims.find((s) => s.host === m.host)!;
    if ("error" in m.probe) throw new Error(`probe of ${m.host} failed: ${m.probe.error}`);
    return { nodeId: m.nodeId, name: sim.name, host: m.host, sshPort: m.sshPort, restUrl: m.restUrl, acceptedSshHostKeyFingerprint: m.probe.sshHostKeyFingerprint, acceptedRestCertFingerprint: m.probe.restCertFingerprint };
  });
  const confirmed = await confirmClusterMembers(db, SYSTEM_ACTOR, { entryApplianceId: first.id, clusterName: name, members });
  const rows = await db.appliance.findMany({ where: { clusterId: confirmed.clusterId } });
  return { fleet, clusterId: confirmed.clusterId, nodes: sims.map((sim) => ({ sim, applianceId: rows.find((r) => r.host === sim.host)!.id })) };
}

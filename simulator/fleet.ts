// Several simulated appliances from one configuration: fleet defaults, then each appliance's
// own fields; each keeps its state in <fleet stateDir>/<name> unless it names a stateDir. Cluster
// nodes also take their cluster's defaults, an address each and the cluster's shared ports; a
// formed cluster starts with every node a ready member of one shared database.
import path from "node:path";
import { applyDataFaults, nodeOf, startAppliance, type SimulatedAppliance } from "./appliance";
import { commonFreePort } from "./cluster/common-port";
import { formClusterAtOnce } from "./cluster/membership";
import { PeerNetwork } from "./cluster/peer-network";
import type { RecordEntry } from "./core/activity-record";
import { FleetConfigSchema, type ApplianceConfig, type ClusterConfig, type FleetConfig } from "./config";

export interface SimulatedCluster {
  name: string;
  nodes: SimulatedAppliance[];
}

export interface SimulatedFleet {
  appliances: SimulatedAppliance[];
  clusters: SimulatedCluster[];
  get(name: string): SimulatedAppliance | undefined;
  /** Every appliance's record merged in the order things happened, each entry naming its appliance. */
  record(): (RecordEntry & { appliance: string })[];
  stop(): Promise<void>;
}

export interface FleetOptions {
  /** Replaces every time scale in the file (the CLI's --time-scale). */
  timeScale?: number;
  /** Every port becomes 0 (the CLI's --free-ports): a launcher that must not collide. */
  freePorts?: boolean;
}

/** Addresses given to cluster nodes that name none: 127.0.0.11, .12, ... skipping those in use. */
const FIRST_AUTO_HOST = 11;

export async function startFleet(input: FleetConfig, opts: FleetOptions = {}): Promise<SimulatedFleet> {
  // Validate the whole file first, then merge what was written: parsed entries carry every
  // default, which would hide the fleet's defaults behind the schema's.
  const cfg = FleetConfigSchema.parse(input);
  const defaults = input.defaults ?? {};
  const peers = new PeerNetwork();
  const appliances: SimulatedAppliance[] = [];
  const clusters: SimulatedCluster[] = [];
  const merge = (a: ApplianceConfig | (Partial<ApplianceConfig> & { name: string }), over: Partial<ApplianceConfig> = {}): ApplianceConfig => {
    const merged: ApplianceConfig = {
      timeScale: cfg.timeScale,
      ...defaults,
      ...over,
      ...a,
      faults: { ...defaults.faults, ...over.faults, ...a.faults },
      stateDir: path.resolve(a.stateDir ?? path.join(cfg.stateDir, a.name)),
    };
    if (opts.timeScale !== undefined) merged.timeScale = opts.timeScale;
    if (opts.freePorts) Object.assign(merged, { sshPort: 0, restPort: 0 });
    return merged;
  };
  try {
    for (const a of input.appliances ?? []) appliances.push(await startAppliance(merge(a), { peers }));
    const hosts = autoHosts(input);
    for (const c of input.clusters ?? []) {
      const nodes = await startCluster(c, hosts, opts, (n, ports) => merge({ ...n, ...ports }, c.defaults), peers);
      appliances.push(...nodes);
      clusters.push({ name: c.name, nodes });
    }
  } catch (e) {
    await Promise.all(appliances.map((a) => a.stop()));
    throw e;
  }
  return {
    appliances,
    clusters,
    get: (name) => appliances.find((a) => a.name === name),
    record: () => appliances.flatMap((a) => a.record.map((e) => ({ ...e, appliance: a.name }))).sort((x, y) => x.seq - y.seq),
    stop: async () => {
      await Promise.all(appliances.map((a) => a.stop()));
    },
  };
}

type NodeEntry = ClusterConfig["nodes"][number];

async function startCluster(
  c: ClusterConfig,
  nextHost: () => string,
  opts: FleetOptions,
  configure: (n: NodeEntry, ports: { host: string; sshPort: number; restPort: number }) => ApplianceConfig,
  peers: PeerNetwork,
): Promise<SimulatedAppliance[]> {
  const hosts = c.nodes.map((n) => n.host ?? nextHost());
  const sshPort = !opts.freePorts && c.sshPort ? c.sshPort : await commonFreePort(hosts);
  const restPort = !opts.freePorts && c.restPort ? c.restPort : await commonFreePort(hosts, [sshPort]);
  const nodes: SimulatedAppliance[] = [];
  try {
    for (const [i, n] of c.nodes.entries()) {
      const config = { ...configure(n, { host: hosts[i] ?? "", sshPort, restPort }), sshPort, restPort };
      nodes.push(await startAppliance(config, { peers, clusterName: c.name }));
    }
  } catch (e) {
    await Promise.all(nodes.map((a) => a.stop()));
    throw e;
  }
  if (c.formed !== false) {
    const inside = nodes.map(nodeOf);
    formClusterAtOnce(inside);
    // Faults that write the database now write the cluster's.
    inside.forEach(applyDataFaults);
  }
  return nodes;
}

function autoHosts(input: FleetConfig): () => string {
  const taken = new Set([...(input.appliances ?? []).map((a) => a.host), ...(input.clusters ?? []).flatMap((c) => c.nodes.map((n) => n.host))]);
  let last = FIRST_AUTO_HOST - 1;
  return () => {
    do last++;
    while (taken.has(`127.0.0.${last}`) && last < 254);
    if (last >= 255) throw new Error("no loopback address left for cluster nodes");
    return `127.0.0.${last}`;
  };
}

/** What the CLI prints and the control server lists: endpoints, fingerprints, state. */
export function describeAppliance(a: SimulatedAppliance) {
  const state = a.state;
  return {
    name: a.name,
    host: a.host,
    sshPort: a.sshPort,
    restPort: a.restPort,
    restUrl: a.restUrl,
    sshHostKeyFingerprint: a.sshHostKeyFingerprint,
    restCertFingerprint: a.restCertFingerprint,
    ...(a.clusterName ? { clusterName: a.clusterName } : {}),
    version: state.version,
    model: state.model,
    state,
    faults: a.faults,
  };
}

// Starts one simulated CipherTrust Manager: its sshd and HTTPS REST API on real sockets, its
// state in a stateDir (so fingerprints and firmware survive restarts), and fault switches.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { ApplianceConfigSchema, FaultsPatchSchema, type ApplianceConfig, type Faults, type FaultsPatch } from "./config";
import { ApplianceNode, type Phase } from "./core/appliance-node";
import type { RecordEntry } from "./core/activity-record";
import type { DiskSnapshot } from "./core/disk";
import { boot, reboot, reset, stop } from "./core/power";
import type { ServiceStatus } from "./core/services";
import { clusterInfo } from "./cluster/views";
import type { PeerNetwork } from "./cluster/peer-network";
import { waitForState } from "./core/wait-for-state";
import { HostKeyStore } from "./identity/host-key";
import { loadTlsIdentity } from "./identity/tls-cert";
import { RestListener } from "./rest/rest-listener";
import { SshListener } from "./ssh/ssh-listener";

export const DEFAULT_VENDOR_KEY_FILE = path.join(path.dirname(fileURLToPath(import.meta.url)), "keys", "test-vendor.pub.asc");

export interface ApplianceStateSnapshot {
  version: string;
  model: string;
  phase: Phase;
  rebooting: boolean;
  services: { name: string; status: ServiceStatus }[];
  disk: DiskSnapshot;
  /** Firmware waiting for the next boot, and a ks_upgrade/ks_downgrade run in progress. */
  staged: { kind: "upgrade" | "downgrade"; version: string } | null;
  firmwareJob: { kind: "upgrade" | "downgrade"; version: string } | null;
  /** Why keysecure fails at every boot (a reboot during an upgrade), until reset. */
  broken: string | null;
  restListening: boolean;
  /** This node's cluster membership as GET /v1/cluster tells it; null when not clustered. */
  cluster: { nodeId: string; code: string; nodeCount: number } | null;
}

export interface StartOptions {
  /** The network cluster nodes reach each other on; a fleet has its own, others share a default. */
  peers?: PeerNetwork;
  /** The fleet cluster this appliance was started in. */
  clusterName?: string;
}

export interface SimulatedAppliance {
  readonly name: string;
  readonly host: string;
  readonly sshPort: number;
  readonly restPort: number;
  readonly restUrl: string;
  readonly sshHostKeyFingerprint: string;
  readonly restCertFingerprint: string;
  readonly clusterName?: string;
  readonly state: ApplianceStateSnapshot;
  readonly record: RecordEntry[];
  readonly faults: Faults;
  setFaults(patch: FaultsPatch): Promise<Faults>;
  /** A reboot as `sudo reboot` does it; resolves when the node is back, or known to stay down. */
  reboot(): Promise<void>;
  /** Resolves when `predicate(state)` holds, rejects after timeoutMs. */
  waitFor(predicate: (s: ApplianceStateSnapshot) => boolean, timeoutMs?: number): Promise<ApplianceStateSnapshot>;
  /** Back to the configured version and faults, empty home, no backups; keys and ports stay. */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

const NODES = new WeakMap<SimulatedAppliance, ApplianceNode>();

/** The simulator's inside of an appliance, for the fleet (forming clusters); never for clients. */
export function nodeOf(appliance: SimulatedAppliance): ApplianceNode {
  const node = NODES.get(appliance);
  if (!node) throw new Error(`${appliance.name} was not started by startAppliance`);
  return node;
}

export async function startAppliance(input: ApplianceConfig, opts: StartOptions = {}): Promise<SimulatedAppliance> {
  const config = ApplianceConfigSchema.parse(input);
  fs.mkdirSync(config.stateDir, { recursive: true });
  const vendorKeys = config.vendorKeys ?? [fs.readFileSync(DEFAULT_VENDOR_KEY_FILE, "utf8")];
  const node = new ApplianceNode(config, vendorKeys, opts.peers);
  const hostKeys = new HostKeyStore(config.stateDir);
  if (node.faults.hostKeyChanged) {
    hostKeys.regenerate();
    node.applyFaults({ hostKeyChanged: false });
  }
  node.hostKeys = hostKeys;
  const tls = await loadTlsIdentity(config.stateDir, config.name);
  const ssh = new SshListener(node, hostKeys, config.sshPort);
  const rest = new RestListener(node, tls, config.restPort);
  // Listeners follow the faults while the node is up: `down` closes both, `restDown` only REST.
  const sync = async () => {
    if (node.phase !== "up") return;
    if (node.faults.down) await Promise.all([ssh.close(), rest.close()]);
    else await ssh.open();
    if (node.faults.restDown) await rest.close();
    else if (!node.faults.down) await rest.open();
  };
  node.network = {
    open: sync,
    close: async () => {
      await Promise.all([ssh.close(), rest.close()]);
    },
    sync,
  };
  node.peers.add(node);
  // The appliance was already running before the simulator looked at it: services are up.
  await boot(node, { instant: true, fresh: true });
  applyDataFaults(node);

  const snapshot = (): ApplianceStateSnapshot => ({
    version: node.state.version,
    model: config.model,
    phase: node.phase,
    rebooting: node.phase === "rebooting",
    services: node.services.list(),
    disk: node.disk.snapshot(),
    staged: node.state.staged ? { kind: node.state.staged.kind, version: node.state.staged.version } : null,
    firmwareJob: node.firmwareJob ? { kind: node.firmwareJob.kind, version: node.firmwareJob.version } : null,
    broken: node.state.broken,
    restListening: rest.isOpen,
    cluster: clusterSnapshot(node),
  });

  const appliance: SimulatedAppliance = {
    name: config.name,
    host: config.host,
    sshPort: ssh.port,
    restPort: rest.port,
    restUrl: `https://${config.host}:${rest.port}`,
    get sshHostKeyFingerprint() {
      return hostKeys.fingerprint;
    },
    restCertFingerprint: tls.fingerprint,
    ...(opts.clusterName ? { clusterName: opts.clusterName } : {}),
    get state() {
      return snapshot();
    },
    get record() {
      return node.record.list();
    },
    get faults() {
      return { ...node.faults };
    },
    async setFaults(patch) {
      const wasDown = node.phase === "down";
      const parsed = FaultsPatchSchema.parse(patch);
      const faults = node.applyFaults(parsed);
      if (parsed.auditRecordsToDb) applyDataFaults(node);
      await sync();
      // Clearing neverReturns lets a node that stayed dark finish its boot.
      if (wasDown && !faults.neverReturns) await boot(node);
      return { ...faults };
    },
    reboot: () => reboot(node),
    waitFor: (predicate, timeoutMs = 30_000) => waitForState(node, snapshot, predicate, timeoutMs),
    reset: async () => {
      await reset(node);
      applyDataFaults(node);
    },
    stop: async () => {
      node.peers.remove(node);
      await stop(node);
    },
  };
  NODES.set(appliance, node);
  return appliance;
}

/** auditRecordsToDb writes the property into whatever database the node uses now (its cluster's if clustered). */
export function applyDataFaults(node: ApplianceNode): void {
  if (node.faults.auditRecordsToDb) node.data.setProperty("ENABLE_RECORDS_DB_STORE", "true");
}

function clusterSnapshot(node: ApplianceNode): ApplianceStateSnapshot["cluster"] {
  const info = clusterInfo(node);
  return info.status.code === "none" ? null : { nodeId: info.nodeID, code: info.status.code, nodeCount: info.nodeCount ?? 0 };
}

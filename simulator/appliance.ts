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
}

export interface SimulatedAppliance {
  readonly name: string;
  readonly host: string;
  readonly sshPort: number;
  readonly restPort: number;
  readonly restUrl: string;
  readonly sshHostKeyFingerprint: string;
  readonly restCertFingerprint: string;
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

export async function startAppliance(input: ApplianceConfig): Promise<SimulatedAppliance> {
  const config = ApplianceConfigSchema.parse(input);
  fs.mkdirSync(config.stateDir, { recursive: true });
  const vendorKeys = config.vendorKeys ?? [fs.readFileSync(DEFAULT_VENDOR_KEY_FILE, "utf8")];
  const node = new ApplianceNode(config, vendorKeys);
  const hostKeys = new HostKeyStore(config.stateDir);
  if (node.faults.hostKeyChanged) {
    hostKeys.regenerate();
    node.applyFaults({ hostKeyChanged: false });
  }
  node.hostKeys = hostKeys;
  const tls = await loadTlsIdentity(config.stateDir, config.name);
  const ssh = new SshListener(node, hostKeys, config.sshPort);
  const rest = new RestListener(node, tls, config.restPort);
  const sync = async () => {
    if (node.phase === "up" && node.faults.restDown) await rest.close();
    else if (node.phase === "up") await rest.open();
  };
  node.network = {
    open: async () => {
      await ssh.open();
      await rest.open();
      await sync();
    },
    close: async () => {
      await Promise.all([ssh.close(), rest.close()]);
    },
    sync,
  };
  // The appliance was already running before the simulator looked at it: services are up.
  await boot(node, { instant: true, fresh: true });

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
  });

  return {
    name: config.name,
    host: config.host,
    sshPort: ssh.port,
    restPort: rest.port,
    restUrl: `https://${config.host}:${rest.port}`,
    get sshHostKeyFingerprint() {
      return hostKeys.fingerprint;
    },
    restCertFingerprint: tls.fingerprint,
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
      const faults = node.applyFaults(FaultsPatchSchema.parse(patch));
      await sync();
      // Clearing neverReturns lets a node that stayed dark finish its boot.
      if (wasDown && !faults.neverReturns) await boot(node);
      return { ...faults };
    },
    reboot: () => reboot(node),
    waitFor: (predicate, timeoutMs = 30_000) => waitForState(node, snapshot, predicate, timeoutMs),
    reset: () => reset(node),
    stop: () => stop(node),
  };
}

function waitForState(
  node: ApplianceNode,
  snapshot: () => ApplianceStateSnapshot,
  predicate: (s: ApplianceStateSnapshot) => boolean,
  timeoutMs: number,
): Promise<ApplianceStateSnapshot> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const s = snapshot();
      if (!predicate(s)) return false;
      cleanup();
      resolve(s);
      return true;
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`${node.config.name}: state not reached within ${timeoutMs} ms: ${JSON.stringify(snapshot())}`));
    }, timeoutMs);
    const cleanup = () => {
      clearTimeout(timer);
      node.events.off("change", check);
    };
    node.events.on("change", check);
    check();
  });
}

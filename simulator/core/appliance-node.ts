// One simulated appliance's moving parts in one place: SSH commands, SFTP and REST routes all
// read and change the appliance through this object; power.ts and firmware.ts drive its life.
import { EventEmitter } from "node:events";
import fs from "node:fs";
import path from "node:path";
import { FaultsSchema, type Faults, type FaultsPatch, type ResolvedApplianceConfig } from "../config";
import type { HostKeyStore } from "../identity/host-key";
import type { ClusterLink } from "../cluster/cluster-database";
import { DEFAULT_PEERS, type PeerNetwork } from "../cluster/peer-network";
import { ActivityRecord } from "./activity-record";
import { DataStore } from "./data-store";
import { Disk } from "./disk";
import { loadNodeState, type NodeState } from "./node-state";
import type { JsonFile } from "./json-file";
import type { NodeStateSchema } from "./node-state";
import { Scheduler } from "./scheduler";
import { Services } from "./services";

export type Phase = "up" | "rebooting" | "down" | "stopped";

/** The listeners, as the lifecycle sees them: open, close, and cut every live connection. */
export interface Network {
  open(): Promise<void>;
  close(): Promise<void>;
  /** Re-applies faults that open or close one listener (restDown). */
  sync(): Promise<void>;
}

export interface FirmwareJob {
  kind: "upgrade" | "downgrade";
  version: string;
  abort: AbortController;
}

export const HOME = "/home/ksadmin";

export class ApplianceNode {
  readonly scheduler: Scheduler;
  readonly record = new ActivityRecord();
  readonly events = new EventEmitter().setMaxListeners(200);
  readonly services = new Services("starting");
  readonly disk: Disk;
  /** The node's own database; while it is a cluster member it reads and writes the cluster's instead. */
  readonly ownData: DataStore;
  readonly homeDir: string;
  readonly backupsDir: string;
  readonly logsDir: string;
  private readonly stateFile: JsonFile<typeof NodeStateSchema>;
  state: NodeState;
  faults: Faults;
  phase: Phase = "down";
  bootedAt = new Date();
  /** Bumped at every power transition so timers of a previous boot do nothing. */
  generation = 0;
  /** Aborted by stop() and reset(): ends sleeps that outlive the appliance's current life. */
  lifetime = new AbortController();
  firmwareJob: FirmwareJob | null = null;
  network: Network | null = null;
  hostKeys: HostKeyStore | null = null;
  /** Cluster membership, in memory: a fleet forms its clusters again at every start. */
  cluster: ClusterLink | null = null;
  /** The CSR this node issued for a join: the certificate a member signs must answer it. */
  pendingCsr: { nonce: string; host: string } | null = null;
  /** Set by a factory reset request; applied while the node is down for the reboot it triggers. */
  pendingFactoryReset = false;

  constructor(
    readonly config: ResolvedApplianceConfig,
    readonly vendorKeys: string[],
    readonly peers: PeerNetwork = DEFAULT_PEERS,
  ) {
    this.scheduler = new Scheduler(config.timeScale);
    this.homeDir = path.join(config.stateDir, "home", "ksadmin");
    this.backupsDir = path.join(config.stateDir, "backups");
    this.logsDir = path.join(config.stateDir, "logs");
    for (const dir of [this.homeDir, this.backupsDir, this.logsDir]) fs.mkdirSync(dir, { recursive: true });
    const loaded = loadNodeState(config.stateDir, config.version);
    this.stateFile = loaded.file;
    this.state = loaded.state;
    this.ownData = new DataStore(path.join(config.stateDir, "database.json"));
    this.faults = { ...config.faults };
    this.disk = new Disk(this.homeDir, () => config.diskTotalBytes, () => this.faults.lowDisk ?? config.diskFreeBytes);
  }

  get data(): DataStore {
    const link = this.cluster;
    return link && !link.removed && link.db.member(link.nodeId) ? link.db.data : this.ownData;
  }

  saveState(): void {
    this.stateFile.save(this.state);
    this.changed();
  }

  /** Tells watchers (tests, the control server) that something observable changed. */
  changed(): void {
    this.events.emit("change");
  }

  applyFaults(patch: FaultsPatch): Faults {
    const moved = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
    this.faults = FaultsSchema.parse({ ...this.faults, ...moved });
    if (!this.faults.diskFillsDuringUpload) this.disk.filled = false;
    this.changed();
    return this.faults;
  }

  /** True when REST and SSH callers may be served by the API gateway. */
  apiGatewayUp(): boolean {
    return this.phase === "up" && this.services.get("api-gateway") === "started";
  }
}

// The database a cluster's nodes share: its members in join order, the data every member reads
// (properties, backup keys), the schema version, the one join or removal in progress, and the lock
// the first node upgraded to a new version holds [O3]. Lives in the simulator process only.
import crypto from "node:crypto";
import type { ApplianceNode } from "../core/appliance-node";
import { DataStore, type Database } from "../core/data-store";

/** A member's place in its life: creating, joining (b, i, c, o), ready, or being removed. */
export type Stage = "creating" | "b" | "i" | "c" | "o" | "r" | "m";

export interface Member {
  nodeId: string;
  node: ApplianceNode;
  host: string;
  port: number;
  publicAddress: string;
  stage: Stage;
  /** The firmware it last ran while reachable: what peers can know of a node that is down. */
  lastVersion: string;
}

export interface Operation {
  kind: "create" | "join" | "remove";
  nodeId: string;
}

export class ClusterDatabase {
  readonly id = crypto.randomUUID();
  /** Signs the certificates members issue to joining nodes. */
  readonly secret = crypto.randomBytes(32);
  readonly data: DataStore;
  readonly members: Member[] = [];
  operation: Operation | null = null;
  private lockedUntil = 0;
  private lockReason = "";

  constructor(
    initialData: Database,
    public schemaVersion: string,
  ) {
    this.data = new DataStore(null, initialData);
  }

  member(nodeId: string): Member | undefined {
    return this.members.find((m) => m.nodeId === nodeId);
  }

  /** Why a join or removal must wait: they go one at a time [T]. */
  busy(): string | null {
    const op = this.operation;
    if (!op) return null;
    const doing = op.kind === "remove" ? "being removed" : op.kind === "create" ? "creating the cluster" : "joining";
    return `node ${op.nodeId} is ${doing}; joins and removals go one at a time, try again when it is done`;
  }

  lock(ms: number, reason: string): void {
    this.lockedUntil = Date.now() + ms;
    this.lockReason = reason;
  }

  lockMessage(): string | null {
    return Date.now() < this.lockedUntil ? this.lockReason : null;
  }

  notifyAll(): void {
    for (const m of this.members) m.node.changed();
  }
}

/** What a node keeps of its cluster: its id there, and whether it was removed, leaving a stale
 *  configuration that `ksctl cluster delete` clears before the node may join again [R9]. */
export interface ClusterLink {
  db: ClusterDatabase;
  nodeId: string;
  removed: boolean;
}

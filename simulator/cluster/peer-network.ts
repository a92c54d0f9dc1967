// The simulator's stand-in for the network between cluster nodes: which appliance answers the
// cluster database port at an address. Only a node that is up answers, as a real peer would; a
// node learns of another only by the address it is given, never by looking around the process.
import type { ApplianceNode } from "../core/appliance-node";

/** [C] The port cluster nodes replicate their database on. */
export const DATABASE_PORT = 5432;

export type Reach = { ok: true; node: ApplianceNode } | { ok: false; reason: string };

export class PeerNetwork {
  private readonly nodes = new Set<ApplianceNode>();

  add(node: ApplianceNode): void {
    this.nodes.add(node);
  }

  remove(node: ApplianceNode): void {
    this.nodes.delete(node);
  }

  reach(host: string, port: number = DATABASE_PORT): Reach {
    const where = `${host}:${port}`;
    if (port !== DATABASE_PORT) return { ok: false, reason: `dial tcp ${where}: connect: connection refused` };
    const there = [...this.nodes].filter((n) => n.config.host === host);
    // Several simulated appliances may share 127.0.0.1; a cluster member needs an address of its own.
    if (there.length > 1) return { ok: false, reason: `${host} is the address of several simulated appliances; give each cluster node its own address` };
    const node = there[0];
    if (!node || node.phase !== "up" || node.faults.down) return { ok: false, reason: `dial tcp ${where}: connect: connection refused` };
    return { ok: true, node };
  }
}

/** Appliances started on their own (not by a fleet) share this one. */
export const DEFAULT_PEERS = new PeerNetwork();

// Node status codes as GET /v1/cluster and /v1/nodes report them. The letters are those third-party
// clients know [T]; `x` and `u` stand for the seed's "nodes are in different states across
// databases" and "unknown", which have no public code [I]. Descriptions are ours [I].
import type { ApplianceNode } from "../core/appliance-node";
import type { ClusterDatabase, Member, Stage } from "./cluster-database";

export interface NodeStatus {
  code: string;
  description: string;
}

const status = (code: string, description: string): NodeStatus => ({ code, description });

export const STATUS = {
  none: status("none", "not clustered"),
  ready: status("r", "ready"),
  creating: status("creating", "creating the cluster"),
  b: status("b", "joining: requesting a base backup"),
  i: status("i", "joining: initializing the database"),
  c: status("c", "joining: catching up with the cluster"),
  o: status("o", "joining: coming online"),
  down: status("d", "down"),
  killed: status("k", "killed"),
  removing: status("m", "removing"),
  removed: status("v", "removed"),
  different: status("x", "nodes are in different states across databases"),
  unknown: status("u", "unknown"),
} as const;

const STAGE_STATUS: Record<Exclude<Stage, "r">, NodeStatus> = {
  creating: STATUS.creating, b: STATUS.b, i: STATUS.i, c: STATUS.c, o: STATUS.o, m: STATUS.removing,
};

/** Reachable and serving: the firmware is not being changed and keysecure runs. */
export function isLive(node: ApplianceNode): boolean {
  return node.phase === "up" && !node.faults.down && node.firmwareJob === null && node.services.get("keysecure") === "started";
}

/** A member's status as every node of the cluster reports it. */
export function statusOf(db: ClusterDatabase, m: Member): NodeStatus {
  if (m.stage !== "r") return STAGE_STATUS[m.stage];
  const node = m.node;
  // Wiped by a downgrade or a factory reset: the member no longer replicates.
  if (node.cluster?.db !== db || node.cluster.nodeId !== m.nodeId) return STATUS.down;
  if (node.faults.killed) return STATUS.killed;
  if (node.faults.unknownState) return STATUS.unknown;
  if (node.faults.differentStates) return STATUS.different;
  return isLive(node) ? STATUS.ready : STATUS.down;
}

/** The version peers know: the running one while the node is reachable, else the last seen. */
export function versionOf(m: Member): string {
  if (isLive(m.node) && m.node.cluster?.nodeId === m.nodeId) m.lastVersion = m.node.state.version;
  return m.lastVersion;
}

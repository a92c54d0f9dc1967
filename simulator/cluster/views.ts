// What a node tells about its cluster over REST: GET /v1/cluster, /v1/nodes and /v1/cluster/summary.
// Built from the shared database and what the node can see of its peers, nothing more.
import type { ApplianceNode } from "../core/appliance-node";
import type { Member } from "./cluster-database";
import { activeMember } from "./membership";
import { STATUS, statusOf, versionOf, type NodeStatus } from "./node-status";

export interface NodeItem {
  nodeID: string;
  status: NodeStatus;
  host: string;
  port: number;
  isThisNode: boolean;
  publicAddress: string;
}

export function clusterInfo(node: ApplianceNode): { nodeID: string; status: NodeStatus; nodeCount?: number } {
  const link = node.cluster;
  if (!link) return { nodeID: "", status: STATUS.none };
  const self = activeMember(node);
  if (!self) return { nodeID: link.nodeId, status: STATUS.removed, nodeCount: 1 };
  return { nodeID: self.member.nodeId, status: statusOf(self.db, self.member), nodeCount: self.db.members.length };
}

export function nodeItems(node: ApplianceNode): NodeItem[] {
  const link = node.cluster;
  if (!link) return [];
  const self = activeMember(node);
  if (!self) {
    // A removed node knows only itself, as removed.
    const h = node.config.host;
    return [{ nodeID: link.nodeId, status: STATUS.removed, host: h, port: 5432, isThisNode: true, publicAddress: h }];
  }
  return self.db.members.map((m) => item(m, statusOf(self.db, m), m === self.member));
}

function item(m: Member, status: NodeStatus, isThisNode: boolean): NodeItem {
  return { nodeID: m.nodeId, status, host: m.host, port: m.port, isThisNode, publicAddress: m.publicAddress };
}

/** [I] The shape is ours: the members with the versions they run, and whether versions are mixed [O4]. */
export function clusterSummary(node: ApplianceNode) {
  const self = activeMember(node);
  if (!self) return { clusterID: "", nodeCount: 0, status: node.cluster ? STATUS.removed : STATUS.none, versions: [], nodes: [] };
  const { db } = self;
  const nodes = db.members.map((m) => ({ ...item(m, statusOf(db, m), m === self.member), version: versionOf(m) }));
  const versions = [...new Set(nodes.map((n) => n.version))];
  const status = versions.length > 1 ? STATUS.different : nodes.every((n) => n.status.code === "r") ? STATUS.ready : { code: "degraded", description: "not every node is ready" };
  return { clusterID: db.id, nodeCount: nodes.length, status, versions, nodes };
}

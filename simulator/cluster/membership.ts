// A node's part in a cluster: create one, remove a member (one at a time [T]), leave, delete the
// cluster configuration [R5][R9], and forget the cluster when a downgrade or factory reset wipes
// the node. Every change is recorded on the node it happens to.
import crypto from "node:crypto";
import type { ApplianceNode } from "../core/appliance-node";
import { refuse, type Outcome, type Refusal } from "../core/outcome";
import { compareVersions, parseVersion } from "@/lib/domain/version";
import { ClusterDatabase, type Member } from "./cluster-database";
import { DATABASE_PORT } from "./peer-network";

export interface Active {
  db: ClusterDatabase;
  member: Member;
}

/** The node's membership if it is a current member (not removed, not wiped). */
export function activeMember(node: ApplianceNode): Active | null {
  const link = node.cluster;
  const member = link && !link.removed ? link.db.member(link.nodeId) : undefined;
  return link && member ? { db: link.db, member } : null;
}

/** Refuses a node that already holds a cluster configuration, current or stale [R9]. */
export function refuseIfClustered(node: ApplianceNode): Refusal | null {
  const link = node.cluster;
  if (!link) return null;
  if (activeMember(node)) return refuse(409, `this node is already a member of cluster ${link.db.id}`);
  return refuse(409, `this node still holds the configuration of cluster ${link.db.id}; delete it first (ksctl cluster delete)`);
}

/** The address a node gives for itself must be its own; a real node could not replicate otherwise. */
export function ownAddress(node: ApplianceNode, given: string | undefined, field: string): Outcome<{ host: string }> {
  const host = given ?? node.config.host;
  if (host !== node.config.host) return refuse(400, `${field} ${host} is not an address of this node (${node.config.host})`);
  return { ok: true, host };
}

export function addMember(db: ClusterDatabase, node: ApplianceNode, fields: Pick<Member, "host" | "publicAddress" | "stage">): Member {
  const member: Member = { nodeId: crypto.randomUUID(), node, port: DATABASE_PORT, lastVersion: node.state.version, ...fields };
  db.members.push(member);
  node.cluster = { db, nodeId: member.nodeId, removed: false };
  node.pendingCsr = null;
  return member;
}

/** POST /v1/cluster/new: a one-node cluster whose database starts as this node's. */
export function createCluster(node: ApplianceNode, input: { localNodeHost?: string; publicAddress?: string }): Outcome<Active> {
  const clustered = refuseIfClustered(node);
  if (clustered) return clustered;
  const own = ownAddress(node, input.localNodeHost, "localNodeHost");
  if (!own.ok) return own;
  const db = new ClusterDatabase(node.ownData.snapshot(), node.state.version);
  const member = addMember(db, node, { host: own.host, publicAddress: input.publicAddress ?? own.host, stage: "creating" });
  db.operation = { kind: "create", nodeId: member.nodeId };
  node.record.add("event", `cluster ${db.id} created, this node is ${member.nodeId}`);
  node.scheduler.after(node.config.createClusterSeconds, () => {
    if (db.member(member.nodeId)?.stage === "creating") member.stage = "r";
    if (db.operation?.nodeId === member.nodeId) db.operation = null;
    db.notifyAll();
  });
  node.changed();
  return { ok: true, db, member };
}

/** DELETE /v1/nodes/{id} on a member: the target shows `m`, then leaves the list with a stale configuration. */
export function removeMember(node: ApplianceNode, targetId: string): Outcome<{ target: Member }> {
  const self = activeMember(node);
  if (!self) return refuse(404, "this node is not a member of a cluster");
  const { db } = self;
  const target = db.member(targetId);
  if (!target) return refuse(404, `node ${targetId} is not a member of this cluster`);
  if (target === self.member) return refuse(400, "a node cannot remove itself: remove it from another node, or leave with DELETE /v1/cluster on it");
  // The one exception to one-at-a-time: a node whose own join hangs may be removed.
  const op = db.operation;
  if (op && !(op.kind === "join" && op.nodeId === targetId)) return refuse(409, db.busy() ?? "busy");
  startRemoval(node, db, target);
  return { ok: true, target };
}

function startRemoval(by: ApplianceNode, db: ClusterDatabase, target: Member): void {
  target.stage = "m";
  db.operation = { kind: "remove", nodeId: target.nodeId };
  by.record.add("event", `cluster: removing node ${target.nodeId} (${target.host})`);
  db.notifyAll();
  by.scheduler.after(by.config.removeSeconds, () => {
    const at = db.members.indexOf(target);
    if (at >= 0) db.members.splice(at, 1);
    if (db.operation?.nodeId === target.nodeId) db.operation = null;
    const n = target.node;
    if (n.cluster?.db === db && n.cluster.nodeId === target.nodeId) {
      // It keeps the data it had, and the configuration until someone deletes it.
      n.ownData.replaceWith(db.data.snapshot());
      n.cluster = { db, nodeId: target.nodeId, removed: true };
      n.record.add("event", `cluster: removed from cluster ${db.id}`);
    }
    n.changed();
    db.notifyAll();
  });
}

/**
 * DELETE /v1/cluster. A member of a larger cluster leaves (shows `m`, then holds a stale
 * configuration like any removed node); the last node, or a removed one, deletes its configuration.
 */
export function leaveCluster(node: ApplianceNode): Outcome<{ leaving: boolean }> {
  const link = node.cluster;
  if (!link) return refuse(404, "this node is not a member of a cluster");
  const self = activeMember(node);
  if (!self || self.db.members.length === 1) {
    const deleted = deleteClusterConfig(node);
    return deleted.ok ? { ok: true, leaving: false } : deleted;
  }
  const busy = self.db.busy();
  if (busy) return refuse(409, busy);
  startRemoval(node, self.db, self.member);
  return { ok: true, leaving: true };
}

/** `ksctl cluster delete`: only on the last node of a cluster or on a removed node [R5][R9]. */
export function deleteClusterConfig(node: ApplianceNode): Outcome {
  const link = node.cluster;
  if (!link) return refuse(404, "this node is not a member of a cluster");
  const self = activeMember(node);
  if (self && self.db.members.length > 1) {
    return refuse(409, `this node is one of ${self.db.members.length} nodes of cluster ${link.db.id}; remove it from the cluster first`);
  }
  if (self?.db.operation) return refuse(409, self.db.busy() ?? "busy");
  return deleteConfiguration(node);
}

function deleteConfiguration(node: ApplianceNode): { ok: true } {
  const link = node.cluster;
  const self = activeMember(node);
  if (self) {
    node.ownData.replaceWith(self.db.data.snapshot());
    self.db.members.splice(0, self.db.members.length);
  }
  node.cluster = null;
  node.record.add("event", `cluster: configuration of cluster ${link?.db.id ?? "?"} deleted`);
  node.changed();
  return { ok: true };
}

/** A downgrade or factory reset wipes the node: it forgets its cluster, whose members see it down. */
export function forgetCluster(node: ApplianceNode): void {
  if (!node.cluster) return;
  node.record.add("event", `cluster: configuration of cluster ${node.cluster.db.id} wiped`);
  const db = node.cluster.db;
  node.cluster = null;
  node.pendingCsr = null;
  db.notifyAll();
}

/** A fleet's cluster as it stands at start: every node a ready member, the first one's data shared. */
export function formClusterAtOnce(nodes: ApplianceNode[]): ClusterDatabase {
  const first = nodes[0];
  if (!first) throw new Error("a cluster needs at least one node");
  const clustered = nodes.find((n) => n.cluster);
  if (clustered) throw new Error(`${clustered.config.name} is already clustered`);
  // A node started on a newer version (differentVersion) already migrated the schema.
  const newest = nodes.map((n) => n.state.version).reduce((a, b) => (isNewer(b, a) ? b : a));
  const db = new ClusterDatabase(first.ownData.snapshot(), newest);
  for (const node of nodes) {
    addMember(db, node, { host: node.config.host, publicAddress: node.config.host, stage: "r" });
    node.changed();
  }
  return db;
}

/** True when version a is newer than b; unreadable versions are never newer. */
export function isNewer(a: string, b: string): boolean {
  const va = parseVersion(a);
  const vb = parseVersion(b);
  return va !== null && vb !== null && compareVersions(va, vb) > 0;
}

// The first node of a cluster upgraded to a new version migrates the shared database schema and
// locks the database meanwhile (under 30 s): every node then answers REST errors [O3]. Later nodes
// upgraded to the same version find the schema migrated and lock nothing.
import type { ApplianceNode } from "../core/appliance-node";
import { activeMember, isNewer } from "./membership";

export function lockForSchemaUpgrade(node: ApplianceNode, targetVersion: string): void {
  const self = activeMember(node);
  if (!self || !isNewer(targetVersion, self.db.schemaVersion)) return;
  const { db } = self;
  db.schemaVersion = targetVersion;
  db.lock(node.scheduler.realMs(node.config.dbLockSeconds), `the cluster database is locked for the schema upgrade to ${targetVersion}; try again later`);
  node.record.add("event", `cluster database locked for ${node.config.dbLockSeconds} s: schema upgrade to ${targetVersion}`);
  db.notifyAll();
}

/** Why this node's REST API cannot serve now because of its cluster, or null. */
export function clusterLockMessage(node: ApplianceNode): string | null {
  return activeMember(node)?.db.lockMessage() ?? null;
}

// Prechecks for a cluster plan: every node ready and healthy [O6][F5], and, for the offline
// method, the refusals its prepare step would give, each with the seed's remedy [F8].

import { checkBackup, checkDisk, checkService, checkSignature, type ArchiveFacts, type BackupFacts, type Override } from "./node-prechecks";
import { classifyNodeStatus } from "./cluster-node-status";
import type { DfParse } from "./df-output";
import { diskNeedFor } from "./prechecks";
import { fail, pass, warn, type Precheck } from "./precheck";
import type { ReleaseCatalog } from "./release-catalog";
import type { SystemctlStatus } from "./systemctl";
import { computeUpgradePath } from "./upgrade-path";
import { describeHopTarget, matchHopTarget } from "./upgrade-path-types";
import { compareVersions, formatVersion, sameVersion, type Version } from "./version";

/** [C] The vendor's limit on cluster size. */
export const MAX_CLUSTER_NODES = 20;

export interface ClusterNodeFacts {
  applianceId: string;
  version: Version | null;
  status: { code: string; description?: string } | null;
  disk: DfParse;
  service: SystemctlStatus;
  hostKeyPinned: boolean;
}

export interface ClusterFacts {
  method: "online-rolling" | "offline-in-place" | "remove-rebuild";
  catalog: ReleaseCatalog;
  target: Version;
  nodes: ClusterNodeFacts[];
  archive: ArchiveFacts;
  /** ENABLE_RECORDS_DB_STORE: "absent" on recent releases, where the property is gone [T]. */
  auditRecordsToDatabase: "on" | "off" | "absent" | "unknown";
  backup?: BackupFacts;
  override?: Override;
}

export function evaluateClusterPrechecks(facts: ClusterFacts): Precheck[] {
  const offline = facts.method === "offline-in-place";
  const lowest = facts.nodes.map((n) => n.version).filter((x): x is Version => x !== null).sort(compareVersions)[0] ?? null;
  const perNode = facts.nodes.flatMap((node) => {
    const id = node.applianceId;
    const checks = [
      checkNodeStatus(node),
      checkService(node.service, ["U10", "O6", "F5"], id),
      checkDisk(node.disk, diskNeedFor(facts.catalog, facts.archive, node.version), facts.archive, offline ? ["U7", "F8"] : ["U7"], id),
    ];
    if (offline) checks.push(checkHostKey(node));
    return checks;
  });
  const overall = [
    checkNodeCount(facts.nodes.length),
    checkSameVersions(facts),
    checkClusterPath(facts, lowest),
    checkSignature(facts.archive, offline ? ["U1", "U8", "F8"] : ["U1", "U8"]),
    checkBackup(facts.backup, lowest, ["O5", "F4", "R3", "U5"]),
    checkClientImpact(facts.method),
  ];
  if (offline) overall.push(checkAuditRecords(facts.auditRecordsToDatabase));
  return [...overall, ...perNode];
}

function checkNodeStatus(node: ClusterNodeFacts): Precheck {
  const r = classifyNodeStatus(node.status);
  const base = { ruleIds: ["O6", "F5", "F8"], applianceId: node.applianceId, evidence: `GET /v1/nodes: status ${node.status?.code ?? "none"} (${r.label})` };
  if (r.kind === "ready") return pass("node-status", { ...base, summary: "The node is ready in the cluster." });
  return fail("node-status", { ...base, summary: `The node is not ready: ${r.label}.`, remedy: r.remedy });
}

function checkHostKey(node: ClusterNodeFacts): Precheck {
  const base = { ruleIds: ["F3"], applianceId: node.applianceId, evidence: `host key pinned: ${node.hostKeyPinned}` };
  if (node.hostKeyPinned) return pass("host-fingerprint", { ...base, summary: "The node's SSH host key is pinned." });
  return fail("host-fingerprint", { ...base, summary: "The node's SSH host key has not been accepted.", remedy: "Confirm and pin the node's host key fingerprint in the fleet view." });
}

function checkNodeCount(count: number): Precheck {
  const base = { ruleIds: [], evidence: `${count} node(s)` };
  if (count === 0) return fail("node-count", { ...base, summary: "The plan lists no nodes.", remedy: "Refresh the cluster's node list." });
  if (count > MAX_CLUSTER_NODES) return fail("node-count", { ...base, summary: `A cluster has at most ${MAX_CLUSTER_NODES} nodes; ${count} are listed.`, remedy: "Remove obsolete nodes from the cluster first." });
  return pass("node-count", { ...base, summary: `${count} node(s) in the cluster.` });
}

function checkSameVersions(facts: ClusterFacts): Precheck {
  const versions = facts.nodes.map((n) => (n.version ? formatVersion(n.version) : "unknown"));
  const evidence = facts.nodes.map((n, i) => `${n.applianceId}: ${versions[i]}`).join(", ");
  const known = facts.nodes.map((n) => n.version);
  const first = known[0];
  const same = first !== null && first !== undefined && known.every((x) => x !== null && sameVersion(x, first));
  if (same) return pass("same-versions", { summary: "All nodes run the same version.", evidence, ruleIds: ["F8", "O4"] });
  if (facts.method === "offline-in-place") {
    return fail("same-versions", { summary: "Cluster nodes run different versions.", evidence, ruleIds: ["F8"], remedy: "Use online in-place or remove/rebuild to bring all nodes to the same starting version." });
  }
  const how = facts.method === "online-rolling" ? "this plan levels them as it goes" : "each node is upgraded from its own version";
  return warn("same-versions", { summary: `Cluster nodes run different versions and behave differently until levelled; ${how}.`, evidence, ruleIds: ["O4", "F8"] });
}

function checkClusterPath(facts: ClusterFacts, lowest: Version | null): Precheck {
  const base = { ruleIds: facts.method === "online-rolling" ? ["O1"] : facts.method === "offline-in-place" ? ["F1", "M2"] : ["R1"] };
  if (!lowest) return fail("upgrade-path", { ...base, summary: "No node's version could be read.", evidence: "no versions" });
  const override = facts.override && facts.override.reason.trim() !== "" ? true : undefined;
  const path = computeUpgradePath(facts.catalog, lowest, facts.target, facts.method, { override, archives: [facts.archive.version] });
  const evidence = `${formatVersion(lowest)} -> ${formatVersion(facts.target)} (${facts.method}); archive ${formatVersion(facts.archive.version)}`;
  if (!path.ok) return fail("upgrade-path", { ...base, summary: path.message, evidence, remedy: "Choose another method or target." });
  const hop = path.hops[0];
  if (!hop || !matchHopTarget(facts.archive.version, hop.to)) {
    return fail("upgrade-path", { ...base, summary: `The archive does not fit the first hop, which needs ${hop ? describeHopTarget(hop.to) : "none"}.`, evidence, remedy: "Use a verified archive for the first hop." });
  }
  if (path.hops.some((h) => !h.tested)) return warn("upgrade-path", { ...base, summary: `${path.message} Includes untested steps, by ${facts.override?.by}.`, evidence });
  return pass("upgrade-path", { ...base, summary: path.message, evidence });
}

function checkAuditRecords(state: ClusterFacts["auditRecordsToDatabase"]): Precheck {
  const base = { ruleIds: ["F8"], evidence: `ENABLE_RECORDS_DB_STORE: ${state}` };
  if (state === "on") {
    return fail("audit-records-db", { ...base, summary: "Audit records are being written to the database.", remedy: "Disable local database audit logging on one node (ENABLE_RECORDS_DB_STORE), then re-run the prechecks." });
  }
  if (state === "unknown") return warn("audit-records-db", { ...base, summary: "Could not read whether audit records go to the database.", remedy: "Check ENABLE_RECORDS_DB_STORE on one node." });
  return pass("audit-records-db", { ...base, summary: "Audit records are not written to the database." });
}

/** Not a gate but a sentence every launcher must read: who loses service, and for how long. */
function checkClientImpact(method: ClusterFacts["method"]): Precheck {
  if (method === "online-rolling") {
    return warn("client-impact", {
      summary: "Each node is unreachable while it upgrades (10 minutes or more); during the first node the shared database locks for up to 30 s and the cluster may answer slowly or with errors. Clients must cope.",
      evidence: "method online-rolling", ruleIds: ["O2", "O3", "O8"],
    });
  }
  if (method === "offline-in-place") {
    return warn("client-impact", {
      summary: "The cluster stops serving clients while the REST API is disabled on all nodes. Plan downtime and stop client traffic first.",
      evidence: "method offline-in-place", ruleIds: ["F2", "F9"],
    });
  }
  return warn("client-impact", {
    summary: "Clients must be blocked from every node before the cluster is broken up; requests during the rebuild can be lost.",
    evidence: "method remove-rebuild", ruleIds: ["R2"],
  });
}

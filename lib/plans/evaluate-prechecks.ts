// The facts each method's prechecks judge, observed from the appliances of a plan. Standalone and
// downgrade look at one appliance; cluster methods at every node plus the cluster's own answers.
import type { Db } from "@/lib/db/client";
import { isAppError } from "@/lib/errors";
import { sharedRestClient } from "@/lib/appliance/rest-pool";
import { evaluateStandalonePrechecks, type Precheck } from "@/lib/domain/prechecks";
import { evaluateDowngradePrechecks } from "@/lib/domain/downgrade-prechecks";
import { evaluateRestorePrechecks } from "@/lib/domain/restore-prechecks";
import { evaluateClusterPrechecks, type ClusterFacts } from "@/lib/domain/cluster-prechecks";
import type { ArchiveFacts, BackupFacts } from "@/lib/domain/node-prechecks";
import { compareVersions, parseVersion } from "@/lib/domain/version";
import { loadApplianceAccess } from "@/lib/fleet/appliance-access";
import { memberHost } from "@/lib/fleet/enrol-cluster";
import { observeAppliance } from "@/lib/fleet/observe-appliance";
import { loadReleaseCatalog } from "@/lib/plans/release-catalog";
import { deployableArchive } from "@/lib/archives/deployable";

const SINGLE_APPLIANCE_METHODS = new Set(["standalone", "restore-previous", "downgrade"]);

interface StoredHop { hop: number; version: string; archiveId: string; fileName: string; sizeBytes: number }
interface StoredNode { applianceId: string; name: string }

/** How far the observation of each node is, for whoever watches prechecks across a cluster. */
export interface PrecheckNodeUpdate { applianceId: string; name: string; state: "pending" | "running" | "done" | "failed"; detail?: string }

/**
 * `applianceId`: judge one node of a cluster plan, as a node's precheck step does between nodes
 * [O7]: only that node is observed (its service, disk, archive and its status in the cluster's node
 * list), and the plan-wide checks of the result see that node alone, so callers keep the node's own
 * results. Unset: every node, as the plan's prechecks before launch and before each hop [O6][F5].
 */
export interface PrecheckScope { applianceId?: string }

export async function evaluatePlanPrechecks(db: Db, planId: string, onNodes?: (updates: PrecheckNodeUpdate[]) => Promise<void>, scope: PrecheckScope = {}): Promise<Precheck[]> {
  const plan = await db.upgradePlan.findUniqueOrThrow({ where: { id: planId }, include: { backups: { orderBy: { confirmedAt: "desc" } } } });
  const hops = plan.hops as unknown as StoredHop[];
  const planNodes = (plan.nodes as unknown as StoredNode[]).length ? (plan.nodes as unknown as StoredNode[]) : [{ applianceId: plan.applianceId, name: "" }];
  const scoped = planNodes.filter((n) => n.applianceId === scope.applianceId);
  const nodes = scoped.length ? scoped : planNodes;
  const remoteFiles = hops.map((h) => `/home/ksadmin/${h.fileName}`);
  await onNodes?.(nodes.map((n) => ({ applianceId: n.applianceId, name: n.name, state: "pending" })));
  // The cluster's own answers are asked beside the nodes' observations, not after them.
  const clusterFacts = SINGLE_APPLIANCE_METHODS.has(plan.method) ? null : readClusterFacts(db, plan.applianceId, nodes, { auditRecords: scoped.length === 0 });
  clusterFacts?.catch(() => {}); // awaited below; heard here in case an observation fails first
  const observations = await Promise.all(nodes.map(async (n) => {
    await onNodes?.([{ applianceId: n.applianceId, name: n.name, state: "running" }]);
    try {
      const o = await observeAppliance(db, n.applianceId, remoteFiles);
      await onNodes?.([{ applianceId: n.applianceId, name: n.name, state: "done", detail: `${o.versionText ?? "version unknown"}; SSH ${o.ssh.reachable ? "answered" : `unreachable (${o.ssh.error ?? "no answer"})`}; REST ${o.rest.reachable ? "answered" : `unreachable (${o.rest.error ?? "no answer"})`}` }]);
      return o;
    } catch (e) {
      await onNodes?.([{ applianceId: n.applianceId, name: n.name, state: "failed", detail: (e as Error).message }]);
      throw e;
    }
  }));
  const lowest = observations.map((o) => o.version).filter((v) => v !== null).sort(compareVersions)[0] ?? null;
  // The next hop: the first whose version the lowest node does not run yet (the last for a downgrade).
  const next = plan.method === "downgrade" || plan.method === "restore-previous" ? hops[hops.length - 1]! : (hops.find((h) => !lowest || compareVersions(parseVersion(h.version)!, lowest) > 0) ?? hops[hops.length - 1]!);
  const archiveRow = await db.archive.findUniqueOrThrow({ where: { id: next.archiveId } });
  // A detached-signature archive fails the signature check: ks_upgrade.sh would refuse it.
  const deployable = deployableArchive(archiveRow);
  const archiveFacts = (onAppliance: boolean): ArchiveFacts => ({
    version: parseVersion(archiveRow.version ?? next.version)!, sizeBytes: Number(archiveRow.sizeBytes), signatureVerified: archiveRow.status === "verified", notDeployable: deployable.reason ?? undefined,
    reason: archiveRow.refusalReason ?? undefined, onAppliance,
  });
  const backupRow = plan.backups[0];
  const backup: BackupFacts | undefined = backupRow
    ? { kind: backupRow.kind as "downloaded" | "attested", backupDownloaded: Boolean(backupRow.backupSha256), keyDownloaded: Boolean(backupRow.keySha256), applianceVersion: backupRow.applianceVersion ? parseVersion(backupRow.applianceVersion) : null, by: backupRow.confirmedBy }
    : undefined;
  const catalog = await loadReleaseCatalog(db);
  const target = parseVersion(plan.targetVersion)!;
  const override = plan.overrideReason ? { reason: plan.overrideReason, by: plan.createdBy } : undefined;
  const onAppliance = (i: number) => observations[i]!.fileSizes[`/home/ksadmin/${next.fileName}`] === Number(archiveRow.sizeBytes);
  const o = observations[0]!;
  const appliance = { id: plan.applianceId, version: o.version, model: o.model, clustered: o.clustered };
  if (plan.method === "standalone") {
    return evaluateStandalonePrechecks({ catalog, appliance, target, disk: o.disk, service: o.service, rest: o.rest, archive: archiveFacts(onAppliance(0)), backup, override });
  }
  if (plan.method === "restore-previous") {
    const chosen = (plan.nodes as unknown as { restoreBackupId?: string }[])[0]?.restoreBackupId;
    const row = chosen ? await db.backupConfirmation.findUnique({ where: { id: chosen } }) : null;
    return evaluateRestorePrechecks({
      appliance, target, archive: archiveFacts(onAppliance(0)), service: o.service, rest: o.rest,
      restoreBackup: row ? { id: row.remoteBackupId ?? row.id, madeOn: row.applianceVersion ? parseVersion(row.applianceVersion) : null, downloaded: Boolean(row.backupSha256 && row.keySha256) } : null,
    });
  }
  if (plan.method === "downgrade") {
    return evaluateDowngradePrechecks({ catalog, appliance, target, disk: o.disk, service: o.service, archive: archiveFacts(onAppliance(0)), backup, testEnvironmentConfirmed: plan.acknowledgement !== null, override });
  }
  const cluster = await clusterFacts!;
  return evaluateClusterPrechecks({
    method: plan.method as ClusterFacts["method"], catalog, target, archive: archiveFacts(observations.every((_, i) => onAppliance(i))), backup, override,
    auditRecordsToDatabase: cluster.auditRecords,
    nodes: nodes.map((n, i) => ({
      applianceId: n.applianceId, version: observations[i]!.version, disk: observations[i]!.disk, service: observations[i]!.service, hostKeyPinned: true,
      status: cluster.statusByAppliance.get(n.applianceId) ?? null,
    })),
  });
}

/** `auditRecords`: also read ENABLE_RECORDS_DB_STORE, a plan-wide fact [F8] a node's own precheck does not judge. */
async function readClusterFacts(db: Db, entryId: string, nodes: StoredNode[], opts: { auditRecords: boolean }) {
  const statusByAppliance = new Map<string, { code: string; description?: string }>();
  let auditRecords: ClusterFacts["auditRecordsToDatabase"] = "unknown";
  const rows = await db.appliance.findMany({ where: { id: { in: nodes.map((n) => n.applianceId) } }, select: { id: true, clusterNodeId: true, host: true } });
  try {
    const access = await loadApplianceAccess(db, entryId);
    const rest = sharedRestClient(access.endpoint, access.credentials, access.trust);
    const list = await rest.nodes();
    for (const row of rows) {
      // A node removed and joined again gets a new id: found by its address, its stored id is renewed.
      const node = list.find((x) => x.nodeID === row.clusterNodeId) ?? list.find((x) => memberHost(x) === row.host);
      if (!node) continue;
      statusByAppliance.set(row.id, node.status);
      if (node.nodeID !== row.clusterNodeId) await db.appliance.update({ where: { id: row.id }, data: { clusterNodeId: node.nodeID } });
    }
    if (!opts.auditRecords) return { statusByAppliance, auditRecords };
    const prop = await rest.getProperty("ENABLE_RECORDS_DB_STORE");
    auditRecords = prop === null ? "absent" : String(prop.value).toLowerCase() === "true" ? "on" : "off";
  } catch (e) {
    if (isAppError(e) && (e.code === "host-key-changed" || e.code === "certificate-changed")) throw e;
  }
  return { statusByAppliance, auditRecords };
}

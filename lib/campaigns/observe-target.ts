// The prechecks a target's plan would take, without a plan: each node observed read-only (REST
// system info and cluster, `df`, `systemctl status keysecure`, `stat` of the archive; for a cluster
// the entry's node list and the audit-records property) and judged by the same rules as a plan's
// prechecks (lib/domain/prechecks.ts, cluster-prechecks.ts). Nothing on the appliance changes.
import type { Db } from "@/lib/db/client";
import { isAppError } from "@/lib/errors";
import { createRestClient } from "@/lib/appliance/rest-client";
import { evaluateStandalonePrechecks, type Precheck } from "@/lib/domain/prechecks";
import { evaluateClusterPrechecks, type ClusterFacts } from "@/lib/domain/cluster-prechecks";
import type { ReleaseCatalog } from "@/lib/domain/release-catalog";
import type { ArchiveFacts } from "@/lib/domain/node-prechecks";
import { parseVersion } from "@/lib/domain/version";
import { loadApplianceAccess } from "@/lib/fleet/appliance-access";
import { memberHost } from "@/lib/fleet/enrol-cluster";
import { observeAppliance } from "@/lib/fleet/observe-appliance";
import { deployableArchive } from "@/lib/archives/deployable";

export interface ObservedTarget {
  kind: "cluster" | "appliance";
  method: string;
  entryId: string;
  nodes: { applianceId: string; name: string }[];
}

export interface ArchiveRow {
  fileName: string;
  version: string | null;
  sizeBytes: bigint;
  status: string;
  refusalReason: string | null;
  format: string | null;
  kind: string | null;
}

export async function observeTargetPrechecks(db: Db, target: ObservedTarget, archive: ArchiveRow, catalog: ReleaseCatalog, targetVersion: string): Promise<Precheck[]> {
  const remote = `/home/ksadmin/${archive.fileName}`;
  const observations = await Promise.all(target.nodes.map((n) => observeAppliance(db, n.applianceId, [remote])));
  // A detached-signature archive fails the signature check here too: the appliance would refuse it.
  const deployable = deployableArchive(archive);
  const facts = (onAppliance: boolean): ArchiveFacts => ({
    version: parseVersion(archive.version ?? "")!, sizeBytes: Number(archive.sizeBytes), signatureVerified: archive.status === "verified", notDeployable: deployable.reason ?? undefined,
    reason: archive.refusalReason ?? undefined, onAppliance,
  });
  const on = (i: number) => observations[i]!.fileSizes[remote] === Number(archive.sizeBytes);
  const to = parseVersion(targetVersion)!;
  if (target.kind === "appliance") {
    const o = observations[0]!;
    return evaluateStandalonePrechecks({ catalog, target: to, appliance: { id: target.entryId, version: o.version, model: o.model, clustered: o.clustered }, disk: o.disk, service: o.service, rest: o.rest, archive: facts(on(0)) });
  }
  const cluster = await readClusterFacts(db, target);
  return evaluateClusterPrechecks({
    method: target.method as ClusterFacts["method"], catalog, target: to, archive: facts(observations.every((_, i) => on(i))), auditRecordsToDatabase: cluster.auditRecords,
    nodes: target.nodes.map((n, i) => ({ applianceId: n.applianceId, version: observations[i]!.version, disk: observations[i]!.disk, service: observations[i]!.service, hostKeyPinned: true, status: cluster.status.get(n.applianceId) ?? null })),
  });
}

/** The entry node's view of the cluster; unlike a plan's prechecks, stored node ids are left as they are. */
async function readClusterFacts(db: Db, target: ObservedTarget) {
  const status = new Map<string, { code: string; description?: string }>();
  let auditRecords: ClusterFacts["auditRecordsToDatabase"] = "unknown";
  const rows = await db.appliance.findMany({ where: { id: { in: target.nodes.map((n) => n.applianceId) } }, select: { id: true, clusterNodeId: true, host: true } });
  try {
    const access = await loadApplianceAccess(db, target.entryId);
    const rest = createRestClient(access.endpoint, access.credentials, access.trust);
    const list = await rest.nodes();
    for (const row of rows) {
      const node = list.find((x) => x.nodeID === row.clusterNodeId) ?? list.find((x) => memberHost(x) === row.host);
      if (node) status.set(row.id, node.status);
    }
    const prop = await rest.getProperty("ENABLE_RECORDS_DB_STORE");
    auditRecords = prop === null ? "absent" : String(prop.value).toLowerCase() === "true" ? "on" : "off";
  } catch (e) {
    if (isAppError(e) && (e.code === "host-key-changed" || e.code === "certificate-changed")) throw e;
  }
  return { status, auditRecords };
}

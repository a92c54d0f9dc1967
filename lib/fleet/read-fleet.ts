// Read models of the fleet for the pages: one appliance, the clusters, an appliance's backups.
// Nothing secret is selected.
import type { Db } from "@/lib/db/client";

export function getAppliance(db: Db, id: string) {
  return db.appliance.findUniqueOrThrow({ where: { id }, omit: { restPasswordEncrypted: true, restCertPem: true } });
}

export function listClusters(db: Db) {
  return db.cluster.findMany({ orderBy: { name: "asc" }, include: { appliances: { select: { id: true, name: true, version: true, status: true, clusterNodeId: true }, orderBy: { name: "asc" } } } });
}

export function listApplianceBackups(db: Db, applianceId: string) {
  return db.backupConfirmation.findMany({
    where: { applianceId },
    orderBy: { confirmedAt: "desc" },
    select: { id: true, remoteBackupId: true, applianceVersion: true, backupSha256: true, keySha256: true, backupBytes: true, confirmedBy: true, confirmedAt: true, planId: true },
  });
}

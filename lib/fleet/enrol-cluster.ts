// Enrol a cluster from any one enrolled node, as cmupdate does [F6][F11]: read the node list,
// probe every member so the admin sees each fingerprint [F3], and enrol only the members the admin
// confirms. Members use the entry node's SSH identity, REST credentials and ports unless told otherwise.
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { appendAuditEvent, type Actor } from "@/lib/audit/append-audit-event";
import { createRestClient } from "@/lib/appliance/rest-client";
import { probeAppliance } from "@/lib/appliance/probe";
import { decryptSecret } from "@/lib/secrets/envelope";
import { loadApplianceAccess } from "@/lib/fleet/appliance-access";
import { checkEnrolment, recordEnrolment, type CheckedEnrolment, type EnrolInput } from "@/lib/fleet/enrol-appliance";

export interface MemberProposal {
  nodeId: string;
  host: string;
  status: { code: string; description: string };
  isEntry: boolean;
  enrolledApplianceId: string | null;
  sshPort: number;
  restUrl: string;
  probe: { sshHostKeyFingerprint: string; restCertFingerprint: string; sshBanner: string | null } | { error: string };
}

/** The address a node list entry gives for a node, without scheme or port. */
export function memberHost(node: { host?: string; publicAddress?: string }): string | null {
  const raw = node.publicAddress || node.host;
  return raw ? raw.replace(/^https?:\/\//, "").replace(/:\d+$/, "") : null;
}

/** POST /api/clusters/discover: the enrolled node the node list is read from. */
export const DiscoverClusterSchema = z.object({ entryApplianceId: z.string().uuid() });

export async function discoverCluster(db: Db, entryApplianceId: string): Promise<{ clusterNodeId: string; members: MemberProposal[] }> {
  const entry = await db.appliance.findUniqueOrThrow({ where: { id: entryApplianceId } });
  const access = await loadApplianceAccess(db, entryApplianceId);
  const rest = createRestClient(access.endpoint, access.credentials, access.trust);
  const cluster = await rest.cluster();
  if (cluster.status.code === "none") throw new AppError("precondition-failed", `${entry.name} is not clustered (GET /v1/cluster: ${cluster.status.description}). Plan it as a standalone appliance.`);
  const nodes = await rest.nodes();
  const restPort = new URL(entry.restUrl).port;
  const members: MemberProposal[] = [];
  for (const node of nodes) {
    const host = node.isThisNode ? entry.host : memberHost(node);
    if (!host) throw new AppError("appliance-error", `Node ${node.nodeID} has no address in GET /v1/nodes.`);
    const restUrl = `https://${host}${restPort ? `:${restPort}` : ""}`;
    const enrolled = await db.appliance.findFirst({ where: { OR: [{ clusterNodeId: node.nodeID, clusterId: entry.clusterId ?? undefined }, { host, sshPort: entry.sshPort }] }, select: { id: true } });
    let probe: MemberProposal["probe"];
    try {
      const p = await probeAppliance({ host, sshPort: entry.sshPort, restUrl });
      probe = { sshHostKeyFingerprint: p.sshHostKeyFingerprint, restCertFingerprint: p.restCertFingerprint, sshBanner: p.sshBanner };
    } catch (e) {
      probe = { error: e instanceof Error ? e.message : String(e) };
    }
    members.push({ nodeId: node.nodeID, host, status: node.status, isEntry: Boolean(node.isThisNode), enrolledApplianceId: enrolled?.id ?? (node.isThisNode ? entry.id : null), sshPort: entry.sshPort, restUrl, probe });
  }
  return { clusterNodeId: cluster.nodeID, members };
}

export const ConfirmClusterSchema = z.object({
  entryApplianceId: z.string().uuid(),
  clusterName: z.string().trim().min(1).max(100),
  members: z.array(z.object({
    nodeId: z.string().min(1), name: z.string().trim().min(1).max(100), host: z.string().min(1), sshPort: z.number().int(), restUrl: z.string().url(),
    acceptedSshHostKeyFingerprint: z.string(), acceptedRestCertFingerprint: z.string(),
  })).max(20, "a cluster has at most 20 nodes"),
});

export async function confirmClusterMembers(db: Db, actor: Actor, input: z.infer<typeof ConfirmClusterSchema>) {
  const entry = await db.appliance.findUniqueOrThrow({ where: { id: input.entryApplianceId } });
  const discovered = await discoverCluster(db, entry.id);
  const entryNode = discovered.members.find((m) => m.isEntry);
  const restPassword = decryptSecret(entry.restPasswordEncrypted, `appliance-rest:${entry.id}`);
  // Every member is probed and checked first; then the cluster, its members and the audit event are
  // written in one transaction, so a refused member leaves no half-enrolled cluster behind.
  const members: { nodeId: string; existing?: string; enrol?: { input: EnrolInput; checked: CheckedEnrolment } }[] = [];
  for (const m of input.members) {
    if (!discovered.members.some((d) => d.nodeId === m.nodeId)) throw new AppError("conflict", `Node ${m.nodeId} is no longer in the cluster; discover again.`);
    const existing = discovered.members.find((d) => d.nodeId === m.nodeId)?.enrolledApplianceId ?? undefined;
    if (existing) { members.push({ nodeId: m.nodeId, existing }); continue; }
    const enrolInput: EnrolInput = {
      name: m.name, host: m.host, sshPort: m.sshPort, restUrl: m.restUrl, sshIdentityId: entry.sshIdentityId, restUsername: entry.restUsername, restPassword,
      acceptedSshHostKeyFingerprint: m.acceptedSshHostKeyFingerprint, acceptedRestCertFingerprint: m.acceptedRestCertFingerprint,
    };
    members.push({ nodeId: m.nodeId, enrol: { input: enrolInput, checked: await checkEnrolment(db, enrolInput) } });
  }
  return db.$transaction(async (tx) => {
    const cluster = entry.clusterId
      ? await tx.cluster.findUniqueOrThrow({ where: { id: entry.clusterId } })
      : await tx.cluster.create({ data: { name: input.clusterName } });
    await tx.appliance.update({ where: { id: entry.id }, data: { clusterId: cluster.id, clusterNodeId: entryNode?.nodeId ?? discovered.clusterNodeId } });
    const enrolled: string[] = [entry.id];
    for (const m of members) {
      const id = m.existing ?? (await recordEnrolment(tx, actor, m.enrol!.input, m.enrol!.checked)).id;
      await tx.appliance.update({ where: { id }, data: { clusterId: cluster.id, clusterNodeId: m.nodeId } });
      enrolled.push(id);
    }
    await appendAuditEvent(tx, { actor, action: "cluster-enrolled", subjectType: "cluster", subjectId: cluster.id, data: { name: cluster.name, members: input.members.map((m) => ({ nodeId: m.nodeId, host: m.host })) } });
    return { clusterId: cluster.id, applianceIds: [...new Set(enrolled)] };
  }, { timeout: 30_000 });
}

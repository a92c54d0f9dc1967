// Joining a node to a cluster as third-party clients do it [T]: the new node issues a CSR
// (POST /v1/cluster/csr), a member signs it (POST /v1/nodes) and returns a certificate, CA chain and
// MKEK blob, and the new node joins with them and the member's address (POST /v1/cluster/join). The
// new node then goes b, i, c, o to ready. The PEM bodies are the simulator's own opaque tokens.
import crypto from "node:crypto";
import type { ApplianceNode } from "../core/appliance-node";
import { refuse, type Outcome } from "../core/outcome";
import type { ClusterDatabase, Member } from "./cluster-database";
import { activeMember, addMember, ownAddress, refuseIfClustered } from "./membership";
import { DATABASE_PORT } from "./peer-network";

/** [C] A cluster has at most 20 nodes. */
export const MAX_NODES = 20;

const pem = (label: string, value: object) =>
  `-----BEGIN ${label}-----\n${Buffer.from(JSON.stringify(value)).toString("base64").replace(/(.{64})/g, "$1\n").trimEnd()}\n-----END ${label}-----\n`;

function unpem(text: string, label: string): Record<string, unknown> | null {
  const m = new RegExp(`-----BEGIN ${label}-----([\\s\\S]*?)-----END ${label}-----`).exec(text);
  if (!m?.[1]) return null;
  try {
    const v: unknown = JSON.parse(Buffer.from(m[1].replace(/\s+/g, ""), "base64").toString("utf8"));
    return typeof v === "object" && v !== null ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

const signature = (db: ClusterDatabase, clusterId: string, host: string, nonce: string) =>
  crypto.createHmac("sha256", db.secret).update(`${clusterId}|${host}|${nonce}`).digest("base64url");

/** POST /v1/cluster/csr on the node that will join. */
export function issueCsr(node: ApplianceNode, input: { localNodeHost?: string }): Outcome<{ csr: string }> {
  const clustered = refuseIfClustered(node);
  if (clustered) return clustered;
  const own = ownAddress(node, input.localNodeHost, "localNodeHost");
  if (!own.ok) return own;
  node.pendingCsr = { nonce: crypto.randomBytes(16).toString("hex"), host: own.host };
  return { ok: true, csr: pem("CERTIFICATE REQUEST", { cn: node.config.name, host: own.host, nonce: node.pendingCsr.nonce }) };
}

export interface JoinGrant {
  cert: string;
  cachain: string;
  mkek_blob: string;
}

/** POST /v1/nodes on a member: sign a joining node's CSR. */
export function signCsr(node: ApplianceNode, input: { csr?: string; newNodeHost?: string }): Outcome<JoinGrant> {
  const self = activeMember(node);
  if (!self) return refuse(409, "this node is not a member of a cluster");
  const { db } = self;
  const csr = input.csr ? unpem(input.csr, "CERTIFICATE REQUEST") : null;
  if (!csr || typeof csr.host !== "string" || typeof csr.nonce !== "string") return refuse(400, "csr is missing or is not a certificate request");
  if (!input.newNodeHost) return refuse(400, "newNodeHost is required");
  if (input.newNodeHost !== csr.host) return refuse(400, `newNodeHost ${input.newNodeHost} does not match the CSR's host ${csr.host}`);
  const full = refuseIfFull(db);
  if (full) return full;
  const cert = { clusterId: db.id, host: csr.host, nonce: csr.nonce, sig: signature(db, db.id, csr.host, csr.nonce) };
  node.record.add("event", `cluster: signed the CSR of ${csr.host}`);
  return {
    ok: true,
    cert: pem("CERTIFICATE", cert),
    cachain: pem("CERTIFICATE", { clusterId: db.id, ca: true }),
    mkek_blob: crypto.createHmac("sha256", db.secret).update(`mkek|${csr.nonce}`).digest("base64"),
  };
}

function refuseIfFull(db: ClusterDatabase) {
  const busy = db.busy();
  if (busy) return refuse(409, busy);
  if (db.members.length >= MAX_NODES) return refuse(409, `a cluster has at most ${MAX_NODES} nodes`);
  return null;
}

export interface JoinInput {
  cert?: string;
  cachain?: string;
  mkek_blob?: string;
  localNodeHost?: string;
  localNodePublicAddress?: string;
  memberNodeHost?: string;
  memberNodePort?: number;
}

/** POST /v1/cluster/join on the new node. Resolves at once; `done` settles when the join ends. */
export function joinCluster(node: ApplianceNode, input: JoinInput): Outcome<{ member: Member; done: Promise<void> }> {
  const clustered = refuseIfClustered(node);
  if (clustered) return clustered;
  if (!input.cert || !input.cachain || !input.mkek_blob) return refuse(400, "cert, cachain and mkek_blob are required (sign this node's CSR on a member)");
  const cert = unpem(input.cert, "CERTIFICATE");
  const pending = node.pendingCsr;
  if (!cert || !pending || cert.nonce !== pending.nonce) return refuse(400, "the certificate does not answer this node's current CSR; request a CSR and have a member sign it");
  const own = ownAddress(node, input.localNodeHost, "localNodeHost");
  if (!own.ok) return own;
  if (!input.memberNodeHost) return refuse(400, "memberNodeHost is required");
  const reach = node.peers.reach(input.memberNodeHost, input.memberNodePort ?? DATABASE_PORT);
  if (!reach.ok) return refuse(500, `cannot reach the member node: ${reach.reason}`);
  const peer = activeMember(reach.node);
  if (!peer || peer.db.id !== cert.clusterId || cert.sig !== signature(peer.db, peer.db.id, String(cert.host), pending.nonce)) {
    return refuse(400, `the certificate was not issued by the cluster of ${input.memberNodeHost}`);
  }
  const full = refuseIfFull(peer.db);
  if (full) return full;
  if (reach.node.state.version !== node.state.version) {
    return refuse(409, `this node runs ${node.state.version} and the cluster runs ${reach.node.state.version}: all nodes of a cluster run the same firmware`);
  }
  const member = addMember(peer.db, node, { host: own.host, publicAddress: input.localNodePublicAddress ?? own.host, stage: "b" });
  peer.db.operation = { kind: "join", nodeId: member.nodeId };
  node.record.add("event", `cluster: joining cluster ${peer.db.id} through ${input.memberNodeHost} as ${member.nodeId}`);
  peer.db.notifyAll();
  return { ok: true, member, done: progress(node, peer.db, member) };
}

/** b, i, c, o, then ready; stuckJoining holds it at c. Ends early if the node is removed meanwhile. */
async function progress(node: ApplianceNode, db: ClusterDatabase, member: Member): Promise<void> {
  const signal = node.lifetime.signal;
  const stillJoining = () => db.member(member.nodeId) === member && member.stage !== "m" && !signal.aborted;
  for (const stage of ["b", "i", "c", "o"] as const) {
    member.stage = stage;
    db.notifyAll();
    if (!(await node.scheduler.sleep(node.config.joinSeconds / 4, signal)) || !stillJoining()) return;
    while (stage === "c" && node.faults.stuckJoining && stillJoining()) await nextChange(node, signal);
    if (!stillJoining()) return;
  }
  member.stage = "r";
  if (db.operation?.nodeId === member.nodeId) db.operation = null;
  node.record.add("event", `cluster: joined cluster ${db.id}`);
  db.notifyAll();
}

function nextChange(node: ApplianceNode, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      node.events.off("change", done);
      signal.removeEventListener("abort", done);
      resolve();
    };
    node.events.on("change", done);
    signal.addEventListener("abort", done, { once: true });
  });
}

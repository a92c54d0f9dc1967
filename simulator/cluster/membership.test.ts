// Cluster rules without sockets: the 20-node limit, one firmware per cluster, the escape from a
// hung join, and how peers see a node that is upgrading or was wiped.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ApplianceConfigSchema } from "../config";
import { ApplianceNode } from "../core/appliance-node";
import { issueCsr, joinCluster, signCsr } from "./join";
import { activeMember, forgetCluster, formClusterAtOnce, removeMember } from "./membership";
import { statusOf } from "./node-status";
import { PeerNetwork } from "./peer-network";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cm-membership-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

let seq = 0;
function upNode(peers: PeerNetwork, fields: { version?: string; stuckJoining?: boolean } = {}): ApplianceNode {
  const name = `n${++seq}`;
  const config = ApplianceConfigSchema.parse({
    name, host: `127.0.1.${seq}`, stateDir: path.join(dir, name), timeScale: 0, version: fields.version ?? "2.10.0+12807",
    faults: { stuckJoining: fields.stuckJoining ?? false },
  });
  const node = new ApplianceNode(config, [], peers);
  node.phase = "up";
  node.services.setAll("started");
  peers.add(node);
  return node;
}

function join(node: ApplianceNode, member: ApplianceNode) {
  const csr = issueCsr(node, {});
  if (!csr.ok) return csr;
  const grant = signCsr(member, { csr: csr.csr, newNodeHost: node.config.host });
  if (!grant.ok) return grant;
  return joinCluster(node, { ...grant, memberNodeHost: member.config.host });
}

describe("cluster membership", () => {
  it("signs no CSR for a 21st node", () => {
    const peers = new PeerNetwork();
    const twenty = Array.from({ length: 20 }, () => upNode(peers));
    formClusterAtOnce(twenty);
    const r = join(upNode(peers), twenty[0]!);
    expect(r).toEqual({ ok: false, status: 409, message: "a cluster has at most 20 nodes" });
  });

  it("refuses a node on another firmware: all nodes of a cluster run the same", () => {
    const peers = new PeerNetwork();
    const a = upNode(peers);
    formClusterAtOnce([a]);
    const r = join(upNode(peers, { version: "2.11.0+13003" }), a);
    expect(r.ok ? "" : r.message).toMatch(/runs 2\.11\.0\+13003 and the cluster runs 2\.10\.0\+12807/);
  });

  it("lets a member remove a node whose join hangs, and nothing else meanwhile", async () => {
    const peers = new PeerNetwork();
    const [a, b] = [upNode(peers), upNode(peers)];
    formClusterAtOnce([a, b]);
    const stuck = upNode(peers, { stuckJoining: true });
    const joined = join(stuck, a);
    if (!joined.ok) throw new Error(joined.message);
    await new Promise((r) => setTimeout(r, 20));
    const db = activeMember(a)!.db;
    expect(statusOf(db, joined.member).code).toBe("c");
    expect(removeMember(a, activeMember(b)!.member.nodeId)).toMatchObject({ ok: false, status: 409 });
    expect(removeMember(a, joined.member.nodeId).ok).toBe(true);
    await joined.done;
    await new Promise((r) => setTimeout(r, 20));
    expect(db.members.map((m) => m.node)).toEqual([a, b]);
    expect(stuck.cluster).toMatchObject({ removed: true });
  });

  it("shows a member down while its firmware changes, and down for good once a wipe made it forget the cluster", () => {
    const peers = new PeerNetwork();
    const [a, b] = [upNode(peers), upNode(peers)];
    const db = formClusterAtOnce([a, b]);
    const mb = db.members[1]!;
    expect(statusOf(db, mb).code).toBe("r");
    b.firmwareJob = { kind: "upgrade", version: "2.11.0+13003", abort: new AbortController() };
    expect(statusOf(db, mb).code).toBe("d");
    b.firmwareJob = null;
    forgetCluster(b);
    expect(statusOf(db, mb).code).toBe("d");
    expect(activeMember(b)).toBeNull();
  });
});

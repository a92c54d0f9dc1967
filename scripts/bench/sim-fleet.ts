// A large simulated fleet for benchmarks 3 and 6: one simulator process (simulator/cli.ts) with
// half the appliances as formed 3-node clusters and the rest standalone, each on a loopback
// address of its own (Linux routes all of 127/8 to lo), enrolled by writing the rows an admin's
// enrolment writes. Probing a thousand appliances over SSH and TLS would take minutes of setup
// and measure enrolment, not orchestration; the plans themselves talk to every node for real.
import fs from "node:fs";
import path from "node:path";
import type { Db } from "@/lib/db/client";
import type { Actor } from "@/lib/audit/append-audit-event";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import { recordEnrolment, type CheckedEnrolment } from "@/lib/fleet/enrol-appliance";
import { startChild, type Child } from "../lib/children";

export interface SimEndpoint {
  name: string;
  host: string;
  sshPort: number;
  restUrl: string;
  sshHostKeyFingerprint: string;
  restCertFingerprint: string;
  clusterName?: string;
  version: string;
  model: string;
  state: { cluster: { nodeId: string } | null };
}

export interface BenchFleet {
  standalones: SimEndpoint[];
  clusters: { name: string; nodes: SimEndpoint[] }[];
  pid: number;
  stop(): Promise<void>;
}

/** Half the appliances (rounded down to whole clusters) in 3-node clusters, the rest standalone. */
export function fleetShape(appliances: number): { clusters: number; standalones: number } {
  const clusters = Math.floor(appliances / 2 / 3);
  return { clusters, standalones: appliances - clusters * 3 };
}

/** 127.<net>.x.y with y in 1..250: no network or broadcast-looking addresses. */
const loopback = (net: number, i: number) => `127.${net}.${Math.floor(i / 250)}.${(i % 250) + 1}`;

export async function startBenchFleet(dir: string, opts: { appliances: number; timeScale: number; version: string; authorizedKey: string; root: string }): Promise<BenchFleet> {
  const shape = fleetShape(opts.appliances);
  const config = {
    stateDir: path.join(dir, "simulator"),
    timeScale: opts.timeScale,
    defaults: { version: opts.version, authorizedKeys: [opts.authorizedKey] },
    appliances: Array.from({ length: shape.standalones }, (_, i) => ({ name: `sa-${i + 1}`, host: loopback(20, i) })),
    clusters: Array.from({ length: shape.clusters }, (_, c) => ({
      name: `cl-${c + 1}`,
      nodes: [0, 1, 2].map((k) => ({ name: `cl-${c + 1}-${k + 1}`, host: loopback(30, c * 3 + k) })),
    })),
  };
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, "fleet.json");
  fs.writeFileSync(file, JSON.stringify(config));
  let line: string | null = null;
  let gotLine: () => void = () => {};
  const lineSeen = new Promise<void>((r) => { gotLine = r; });
  // node itself, not the tsx wrapper, so /proc/<pid> is the simulator's own CPU time.
  const child: Child = startChild("simulator", process.execPath, ["--import", "tsx", path.join(opts.root, "simulator/cli.ts"), "--config", file], process.env, {
    quiet: true,
    onLine: (l) => { if (line === null && l.startsWith("{")) { line = l; gotLine(); } },
  });
  const exited = new Promise<never>((_, reject) => child.process.once("exit", (code) => reject(new Error(`the simulator exited (${code}) before it was ready:\n${child.tail.slice(-8).join("\n")}`))));
  // Each appliance makes its host key and TLS certificate at first start: about 30 ms of CPU each.
  const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`the simulator did not start ${opts.appliances} appliances within 10 minutes`)), 600_000).unref());
  try {
    await Promise.race([lineSeen, exited, timeout]);
  } catch (e) {
    await child.stop();
    throw e;
  }
  const all = (JSON.parse(line!) as { appliances: SimEndpoint[] }).appliances;
  const byName = new Map(all.map((a) => [a.name, a]));
  return {
    standalones: config.appliances.map((a) => byName.get(a.name)!),
    clusters: config.clusters.map((c) => ({ name: c.name, nodes: c.nodes.map((n) => byName.get(n.name)!) })),
    pid: child.process.pid!,
    stop: () => child.stop(),
  };
}

/** Runs `fn` over `items`, at most `limit` at a time. */
export async function inBatches<T>(items: readonly T[], limit: number, fn: (item: T, i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i]!, i);
    }
  }));
}

/**
 * The rows and audit events enrolment writes (recordEnrolment, and the cluster with its members),
 * with the fingerprints the simulator reported standing in for the admin's accepted probe.
 */
export async function enrolBenchFleet(db: Db, actor: Actor, fleet: BenchFleet, opts: { sshIdentityId: string; stateDir: string }): Promise<{ standaloneIds: string[]; clusterIds: string[] }> {
  const enrol = async (a: SimEndpoint) => {
    const restCertPem = fs.readFileSync(path.join(opts.stateDir, a.name, "tls", "server.crt"), "utf8");
    const checked = {
      seen: { sshHostKeyFingerprint: a.sshHostKeyFingerprint, restCertFingerprint: a.restCertFingerprint, restCertPem },
      info: { version: a.version, model: a.model },
    } as unknown as CheckedEnrolment;
    return recordEnrolment(db, actor, {
      name: a.name, host: a.host, sshPort: a.sshPort, restUrl: a.restUrl, sshIdentityId: opts.sshIdentityId,
      restUsername: "admin", restPassword: "admin",
      acceptedSshHostKeyFingerprint: a.sshHostKeyFingerprint, acceptedRestCertFingerprint: a.restCertFingerprint,
    }, checked);
  };
  const standaloneIds: string[] = new Array(fleet.standalones.length);
  await inBatches(fleet.standalones, 8, async (a, i) => { standaloneIds[i] = (await enrol(a)).id; });
  const clusterIds: string[] = new Array(fleet.clusters.length);
  await inBatches(fleet.clusters, 8, async (c, i) => {
    const cluster = await db.cluster.create({ data: { name: c.name } });
    for (const n of c.nodes) {
      const row = await enrol(n);
      await db.appliance.update({ where: { id: row.id }, data: { clusterId: cluster.id, clusterNodeId: n.state.cluster?.nodeId ?? null } });
    }
    await appendAuditEvent(db, { actor, action: "cluster-enrolled", subjectType: "cluster", subjectId: cluster.id, data: { name: c.name, members: c.nodes.map((n) => ({ nodeId: n.state.cluster?.nodeId, host: n.host })) } });
    clusterIds[i] = cluster.id;
  });
  return { standaloneIds, clusterIds };
}

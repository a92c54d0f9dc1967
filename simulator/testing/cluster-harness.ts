// A fresh fleet cluster per test: its own stateDir, addresses and shared ports, a client key every
// node trusts, a fast clock; and a logged-in REST caller per node.
import fs from "node:fs";
import path from "node:path";
import type { SimulatedAppliance } from "../appliance";
import type { ApplianceConfig } from "../config";
import { startFleet, type SimulatedFleet } from "../fleet";
import { login, makeClientKey, rest, tempDir, type ClientKey, type RestAnswer } from "./clients";

export interface TestCluster {
  fleet: SimulatedFleet;
  nodes: SimulatedAppliance[];
  key: ClientKey;
  stop(): Promise<void>;
}

export interface TestClusterOptions {
  size?: number;
  formed?: boolean;
  /** Fields every node gets (version, timeScale, durations...). */
  defaults?: Partial<ApplianceConfig>;
  /** Per-node fields, by position. */
  nodes?: Partial<ApplianceConfig>[];
}

export async function startTestCluster(opts: TestClusterOptions = {}): Promise<TestCluster> {
  const key = makeClientKey();
  const dir = tempDir("cm-cluster-");
  const size = opts.size ?? opts.nodes?.length ?? 3;
  const name = `c${path.basename(dir).slice(-6).replace(/[^A-Za-z0-9]/g, "x")}`;
  const fleet = await startFleet({
    stateDir: dir,
    timeScale: 0.002,
    defaults: { authorizedKeys: [key.publicLine] },
    clusters: [{
      name,
      formed: opts.formed ?? true,
      defaults: { createClusterSeconds: 10, joinSeconds: 40, removeSeconds: 20, ...opts.defaults },
      nodes: Array.from({ length: size }, (_, i) => ({ name: `${name}-n${i + 1}`, ...opts.nodes?.[i] })),
    }],
  });
  return {
    fleet,
    nodes: fleet.clusters[0]?.nodes ?? [],
    key,
    async stop() {
      await fleet.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface Api {
  get(p: string): Promise<RestAnswer>;
  post(p: string, body?: unknown): Promise<RestAnswer>;
  patch(p: string, body: unknown): Promise<RestAnswer>;
  del(p: string): Promise<RestAnswer>;
  /** GET that fails the test unless it answers 200. */
  json<T>(p: string): Promise<T>;
}

/** A REST caller for one node; logs in again after a reboot or factory reset. */
export function apiOf(node: SimulatedAppliance): Api {
  let jwt: string | null = null;
  const call = async (method: string, p: string, body?: unknown): Promise<RestAnswer> => {
    jwt ??= await login(node.restUrl);
    let r = await rest(node.restUrl, method, p, { token: jwt, body });
    if (r.status === 401) {
      jwt = await login(node.restUrl);
      r = await rest(node.restUrl, method, p, { token: jwt, body });
    }
    return r;
  };
  return {
    get: (p) => call("GET", p),
    post: (p, body = {}) => call("POST", p, body),
    patch: (p, body) => call("PATCH", p, body),
    del: (p) => call("DELETE", p),
    async json<T>(p: string) {
      const r = await call("GET", p);
      if (r.status !== 200) throw new Error(`${node.name} GET ${p}: ${r.status} ${r.body.toString()}`);
      return r.json as T;
    },
  };
}

export interface NodeItem {
  nodeID: string;
  status: { code: string; description: string };
  host: string;
  port: number;
  isThisNode: boolean;
  publicAddress: string;
}

export async function nodeList(api: Api): Promise<NodeItem[]> {
  return (await api.json<{ resources: NodeItem[] }>("/api/v1/nodes")).resources;
}

/** Polls until `check` returns a value other than undefined, or fails after timeoutMs. */
export async function eventually<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 15_000, pollMs = 20): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms${last ? ` (last error: ${(last as Error).message})` : ""}`);
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

/** Joins `node` to the cluster of `member` over REST, as a console would: csr, sign on the member, join. */
export async function joinOverRest(node: SimulatedAppliance, member: SimulatedAppliance): Promise<RestAnswer> {
  const api = apiOf(node);
  const csr = await api.post("/api/v1/cluster/csr", { localNodeHost: node.host, publicAddress: member.host });
  if (csr.status !== 200) return csr;
  const signed = await apiOf(member).post("/api/v1/nodes", { csr: (csr.json as { csr: string }).csr, newNodeHost: node.host, publicAddress: member.host, shared_hsm_partition: false });
  if (signed.status !== 201) return signed;
  const grant = signed.json as { cert: string; cachain: string; mkek_blob: string };
  return api.post("/api/v1/cluster/join", {
    ...grant, localNodeHost: node.host, localNodePort: 5432, localNodePublicAddress: node.host, memberNodeHost: member.host, memberNodePort: 5432, blocking: false,
  });
}

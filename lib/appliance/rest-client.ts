// The appliance's REST API as the console uses it (appliance-contract.md): identity, health,
// cluster state and membership, backups and their keys, restore and factory reset, and the
// audit-records property. Every request is bounded.
import { setTimeout as delay } from "node:timers/promises";
import { z } from "zod";
import { AppError } from "@/lib/errors";
import type { ApplianceCredentials, ApplianceEndpoint, ApplianceTrust } from "./types";
import { createPinnedHttps } from "./https-pinned";
import { RestSession } from "./rest-session";
import { streamToFile, type DownloadResult } from "./rest-body";
import { abortError } from "./connect-errors";
import * as S from "./rest-schemas";

export type { SystemInfo, ServiceStatus, ClusterInfo, ClusterNode, ClusterSummary, JoinGrant, Backup, BackupKey, Property } from "./rest-schemas";
export type { DownloadResult } from "./rest-body";
export { joinCluster, waitForClusterStatus } from "./cluster-join";

export interface RestClient {
  /** The address this client talks to (the endpoint's host). */
  readonly host: string;
  systemInfo(): Promise<S.SystemInfo>;
  servicesStatus(): Promise<S.ServiceStatus[]>;
  cluster(): Promise<S.ClusterInfo>;
  nodes(): Promise<S.ClusterNode[]>;
  createBackup(input: { description: string; backupKeyId?: string; scope?: string }): Promise<S.Backup>;
  getBackup(id: string): Promise<S.Backup>;
  /** Polls until the backup is complete; fails with appliance-refused if it failed, timeout at the deadline. */
  waitForBackup(id: string, opts?: { timeoutMs?: number; pollMs?: number; signal?: AbortSignal }): Promise<S.Backup>;
  /** `onProgress`: bytes so far and the announced size (null when the appliance does not say). */
  downloadBackup(id: string, destPath: string, onProgress?: (bytes: number, total: number | null) => void): Promise<DownloadResult>;
  createBackupKey(): Promise<S.BackupKey>;
  listBackupKeys(): Promise<S.BackupKey[]>;
  downloadBackupKey(id: string, password: string, destPath: string): Promise<DownloadResult>;
  /** null when the appliance does not know the property (it was removed on recent releases). */
  getProperty(name: string): Promise<S.Property | null>;
  setProperty(name: string, value: string): Promise<S.Property>;
  /** [I] Members with the versions they run (the shape is not public). */
  clusterSummary(): Promise<S.ClusterSummary>;
  /** POST /v1/cluster/new: a cluster of this node alone; it shows `creating`, then `r`. */
  createCluster(input?: { localNodeHost?: string; publicAddress?: string }): Promise<S.ClusterInfo>;
  /** POST /v1/cluster/csr on the node that will join [T]. */
  requestClusterCsr(input?: { localNodeHost?: string; publicAddress?: string }): Promise<string>;
  /** POST /v1/nodes on a member: signs a joining node's CSR [T]. */
  signJoinRequest(input: { csr: string; newNodeHost: string; publicAddress?: string }): Promise<S.JoinGrant>;
  /** POST /v1/cluster/join on the node that joins, with what a member granted; it goes b, i, c, o, then `r`. */
  submitClusterJoin(input: ClusterJoinInput): Promise<S.ClusterInfo>;
  /** DELETE /v1/cluster: a member of a larger cluster leaves (`m`, then `v` removed); the last or a removed node deletes its configuration. */
  leaveCluster(): Promise<void>;
  /** DELETE /v1/nodes/{id} on a member: the node shows `m`, then leaves the list. One at a time [T]. */
  removeNode(nodeId: string): Promise<void>;
  /** [I] Factory reset: the appliance answers, then reboots with a fresh database and no cluster. */
  factoryReset(): Promise<void>;
  /** [I] Restores a backup kept on the appliance; refused for a backup made on a newer version [U5]. */
  restoreBackup(id: string): Promise<void>;
  /** Drops kept-alive connections; the client must not be used afterwards. */
  close(): void;
}

export interface ClusterJoinInput extends S.JoinGrant {
  /** This node's address as the cluster will list it; default the endpoint's host. */
  localNodeHost?: string;
  localNodePublicAddress?: string;
  /** A current member's address; the database port is 5432 [C]. */
  memberNodeHost: string;
  /** Answer only once the join is over. */
  blocking?: boolean;
}

/** [I] Routes no public source names: one replaceable place, overridable per client. */
export const INFERRED_ROUTES = {
  factoryReset: "/api/v1/system/factory-reset",
  restoreBackup: "/api/v1/backups/{id}/restore",
};

export interface RestClientOptions {
  /** Per request, until headers and again for a JSON body; default 30 s. */
  timeoutMs?: number;
  /** A download fails after this long without a byte; default 60 s. */
  downloadIdleTimeoutMs?: number;
  /** Replaces the [I] routes for firmware that names them otherwise. */
  routes?: Partial<typeof INFERRED_ROUTES>;
}

/** [C] Cluster nodes replicate on this port. */
const DATABASE_PORT = 5432;

const seg = encodeURIComponent;

export function createRestClient(
  endpoint: ApplianceEndpoint,
  credentials: ApplianceCredentials,
  trust: ApplianceTrust,
  opts: RestClientOptions = {},
): RestClient {
  const http = createPinnedHttps(endpoint, trust);
  const rest = new RestSession(http, credentials, opts.timeoutMs ?? 30_000);
  const idleMs = opts.downloadIdleTimeoutMs ?? 60_000;

  async function listAll<T>(path: string, item: z.ZodType<T>): Promise<T[]> {
    const out: T[] = [];
    for (let skip = 0; ; ) {
      const page = await rest.json("GET", `${path}?skip=${skip}&limit=100`, S.listSchema(item));
      out.push(...page.resources);
      skip += page.resources.length;
      if (page.resources.length === 0 || page.total === undefined || skip >= page.total) return out;
    }
  }

  const getBackup = (id: string) => rest.json("GET", `/api/v1/backups/${seg(id)}`, S.BackupSchema);
  const routes = { ...INFERRED_ROUTES, ...opts.routes };
  /** A call whose answer carries nothing we read (204, 202). */
  const send = async (method: string, path: string, body?: unknown) => {
    (await rest.open(method, path, body === undefined ? {} : { body })).resume();
  };

  return {
    host: endpoint.host,
    systemInfo: () => rest.json("GET", "/api/v1/system/info", S.SystemInfoSchema),
    servicesStatus: async () => (await rest.json("GET", "/api/v1/system/services/status", S.ServicesStatusSchema)).services,
    cluster: () => rest.json("GET", "/api/v1/cluster", S.ClusterInfoSchema),
    nodes: () => listAll("/api/v1/nodes", S.ClusterNodeSchema),
    createBackup: ({ description, backupKeyId, scope }) =>
      rest.json("POST", "/api/v1/backups", S.BackupSchema, {
        body: { description, scope: scope ?? "system", ...(backupKeyId ? { backupKey: backupKeyId } : {}) },
      }),
    getBackup,
    async waitForBackup(id, { timeoutMs = 30 * 60_000, pollMs = 2_000, signal } = {}) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        if (signal?.aborted) throw abortError(signal);
        const b = await getBackup(id);
        if (/complet|success|done|ready/i.test(b.status)) return b;
        if (/fail|error|abort/i.test(b.status)) {
          throw new AppError("appliance-refused", `${rest.where}: backup ${id} ended with status ${b.status}`, { backup: b });
        }
        if (Date.now() + pollMs > deadline) {
          throw new AppError("timeout", `${rest.where}: backup ${id} still ${b.status || "pending"} after ${Math.round(timeoutMs / 1000)} s`);
        }
        await delay(pollMs, undefined, signal ? { signal } : {}).catch(() => {
          throw abortError(signal!);
        });
      }
    },
    async downloadBackup(id, destPath, onProgress) {
      const res = await rest.open("GET", `/api/v1/backups/${seg(id)}/download`);
      return streamToFile(res, destPath, rest.where, idleMs, onProgress);
    },
    createBackupKey: () => rest.json("POST", "/api/v1/backupkeys", S.BackupKeySchema, { body: {} }),
    listBackupKeys: () => listAll("/api/v1/backupkeys", S.BackupKeySchema),
    async downloadBackupKey(id, password, destPath) {
      const res = await rest.open("POST", `/api/v1/backupkeys/${seg(id)}/download`, { body: { password } });
      return streamToFile(res, destPath, rest.where, idleMs);
    },
    async getProperty(name) {
      const res = await rest.open("GET", `/api/v1/configs/properties/${seg(name)}`, { allowStatus: [404] });
      if (res.statusCode === 404) {
        res.resume();
        return null;
      }
      return rest.parse(res, S.PropertySchema, `GET property ${name}`);
    },
    setProperty: (name, value) =>
      rest.json("PATCH", `/api/v1/configs/properties/${seg(name)}`, S.PropertySchema, { body: { value } }),
    clusterSummary: () => rest.json("GET", "/api/v1/cluster/summary", S.ClusterSummarySchema),
    createCluster: ({ localNodeHost = endpoint.host, publicAddress } = {}) =>
      rest.json("POST", "/api/v1/cluster/new", S.ClusterInfoSchema, {
        body: { localNodeHost, localNodePort: DATABASE_PORT, publicAddress: publicAddress ?? localNodeHost },
      }),
    requestClusterCsr: async ({ localNodeHost = endpoint.host, publicAddress } = {}) =>
      (await rest.json("POST", "/api/v1/cluster/csr", S.ClusterCsrSchema, { body: { localNodeHost, publicAddress: publicAddress ?? localNodeHost } })).csr,
    signJoinRequest: ({ csr, newNodeHost, publicAddress }) =>
      rest.json("POST", "/api/v1/nodes", S.JoinGrantSchema, {
        body: { csr, newNodeHost, publicAddress: publicAddress ?? newNodeHost, shared_hsm_partition: false },
      }),
    submitClusterJoin: ({ cert, cachain, mkek_blob, localNodeHost = endpoint.host, localNodePublicAddress, memberNodeHost, blocking = false }) =>
      rest.json("POST", "/api/v1/cluster/join", S.ClusterInfoSchema, {
        body: {
          cert, cachain, mkek_blob, localNodeHost, localNodePort: DATABASE_PORT, localNodePublicAddress: localNodePublicAddress ?? localNodeHost,
          memberNodeHost, memberNodePort: DATABASE_PORT, blocking,
        },
      }),
    leaveCluster: () => send("DELETE", "/api/v1/cluster"),
    removeNode: (nodeId) => send("DELETE", `/api/v1/nodes/${seg(nodeId)}`),
    factoryReset: () => send("POST", routes.factoryReset, {}),
    restoreBackup: (id) => send("POST", routes.restoreBackup.replace("{id}", seg(id)), {}),
    close: () => http.close(),
  };
}

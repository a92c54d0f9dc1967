// Cluster work that spans calls or appliances: joining a node through a member [T], and waiting
// for a node's cluster status (a join, creation or removal takes a while; a locked database says 503).
import { setTimeout as delay } from "node:timers/promises";
import { AppError } from "@/lib/errors";
import { abortError } from "./connect-errors";
import type { RestClient } from "./rest-client";
import type * as S from "./rest-schemas";

/**
 * Joins a node to a member's cluster as third-party clients do [T]: a CSR from the joining node,
 * signed by the member, then the join on the joining node with the member's address. Resolves
 * when the joining node accepted; it is `r` only once GET /v1/cluster says so (see waitForClusterStatus).
 */
export async function joinCluster(joining: RestClient, member: RestClient, opts: { joiningHost?: string; memberHost?: string; blocking?: boolean } = {}): Promise<S.ClusterInfo> {
  const joiningHost = opts.joiningHost ?? joining.host;
  const csr = await joining.requestClusterCsr({ localNodeHost: joiningHost });
  const grant = await member.signJoinRequest({ csr, newNodeHost: joiningHost });
  return joining.submitClusterJoin({ ...grant, localNodeHost: joiningHost, memberNodeHost: opts.memberHost ?? member.host, blocking: opts.blocking });
}

/**
 * Polls GET /v1/cluster until `done(info)` holds. Answers that say "try again" (503 while a
 * cluster database is locked, a node restarting) are waited out; a refusal ends the wait.
 */
export async function waitForClusterStatus(
  client: RestClient,
  done: (info: S.ClusterInfo) => boolean,
  { timeoutMs = 30 * 60_000, pollMs = 5_000, signal }: { timeoutMs?: number; pollMs?: number; signal?: AbortSignal } = {},
): Promise<S.ClusterInfo> {
  const deadline = Date.now() + timeoutMs;
  let last = "no answer yet";
  for (;;) {
    if (signal?.aborted) throw abortError(signal);
    try {
      const info = await client.cluster();
      if (done(info)) return info;
      last = `status ${info.status.code} (${info.status.description})`;
    } catch (e) {
      if (!(e instanceof AppError) || e.code !== "appliance-unreachable") throw e;
      last = e.message;
    }
    if (Date.now() + pollMs > deadline) throw new AppError("timeout", `${client.host}: cluster state not reached within ${Math.round(timeoutMs / 1000)} s; last: ${last}`);
    await delay(pollMs, undefined, signal ? { signal } : {}).catch(() => {
      throw abortError(signal!);
    });
  }
}

// Redis connections for BullMQ. Producers and workers use separate connections: a worker's
// blocking reads must never delay a web request's enqueue (BullMQ's production guide).
import { Redis, type RedisOptions } from "ioredis";
import { getConfig } from "@/lib/config";

export function createRedis(purpose: "producer" | "worker" | "subscriber" | "publisher"): Redis {
  const options: RedisOptions = purpose === "producer" || purpose === "publisher"
    ? { maxRetriesPerRequest: 3, enableOfflineQueue: true, lazyConnect: false }
    : { maxRetriesPerRequest: null };
  return new Redis(getConfig().redisUrl, { ...options, connectionName: `fleet-${purpose}` });
}

const shared = globalThis as unknown as { fleetRedis?: Partial<Record<"producer" | "publisher", Redis>> };

/** Process-wide producer/publisher connections (web routes and services). */
export function getSharedRedis(purpose: "producer" | "publisher"): Redis {
  shared.fleetRedis ??= {};
  shared.fleetRedis[purpose] ??= createRedis(purpose);
  return shared.fleetRedis[purpose];
}

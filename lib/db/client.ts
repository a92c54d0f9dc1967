// One PrismaClient per process, over the pg driver adapter (no Prisma engine binaries needed).
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { getConfig } from "@/lib/config";

export type Db = PrismaClient;

const globalForDb = globalThis as unknown as { fleetDb?: PrismaClient };

export function createDb(connectionString: string): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString, max: 10 }) });
}

export function getDb(): PrismaClient {
  globalForDb.fleetDb ??= createDb(getConfig().databaseUrl);
  return globalForDb.fleetDb;
}

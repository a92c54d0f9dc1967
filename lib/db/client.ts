// One PrismaClient per process, over the pg driver adapter (no Prisma engine binaries needed).
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient, type Prisma } from "@/lib/generated/prisma/client";
import { getConfig } from "@/lib/config";

export type Db = PrismaClient;
/** The client inside an interactive transaction. */
export type Tx = Prisma.TransactionClient;
export type DbOrTx = Db | Tx;

/** Runs `fn` in a new transaction, or inside the caller's when `db` already is one. */
export async function inTransaction<T>(db: DbOrTx, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return "$transaction" in db ? db.$transaction(fn) : fn(db);
}

const globalForDb = globalThis as unknown as { fleetDb?: PrismaClient };

export function createDb(connectionString: string): PrismaClient {
  // A busy worker runs many more steps than it has connections: a transaction waits its turn for
  // one (maxWait, Prisma's default is 2 s) rather than failing the step it belongs to.
  return new PrismaClient({ adapter: new PrismaPg({ connectionString, max: 10 }), transactionOptions: { maxWait: 30_000, timeout: 15_000 } });
}

export function getDb(): PrismaClient {
  globalForDb.fleetDb ??= createDb(getConfig().databaseUrl);
  return globalForDb.fleetDb;
}

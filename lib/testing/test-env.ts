// Integration tests isolate themselves: each file gets its own database and queue prefix on the
// machine's real Postgres and Redis (or the ones scripts/test.ts started), never a mock.
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { ensureDatabase, migrateDatabase } from "@/lib/db/migrate";
import { createDb, type Db } from "@/lib/db/client";
import { resetConfig } from "@/lib/config";

export interface TestEnv {
  db: Db;
  databaseUrl: string;
  dataDir: string;
  queuePrefix: string;
  cleanup(): Promise<void>;
}

export function serverUrl(): string {
  return process.env.TEST_DATABASE_SERVER_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
}

export async function createTestEnv(label: string, extraEnv: Record<string, string> = {}): Promise<TestEnv> {
  const suffix = crypto.randomBytes(4).toString("hex");
  const name = `fleet_test_${label.replace(/[^a-z0-9]/gi, "_").toLowerCase()}_${suffix}`;
  const url = new URL(serverUrl());
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `fleet-${label}-`));
  const queuePrefix = `fleet-test-${suffix}`;
  Object.assign(process.env, {
    DATABASE_URL: databaseUrl,
    REDIS_URL: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
    FLEET_MASTER_KEY: process.env.FLEET_MASTER_KEY ?? crypto.randomBytes(32).toString("base64"),
    FLEET_DATA_DIR: dataDir,
    FLEET_QUEUE_PREFIX: queuePrefix,
    LOG_LEVEL: process.env.LOG_LEVEL ?? "warn",
    ...extraEnv,
  });
  resetConfig();
  await ensureDatabase(databaseUrl);
  await migrateDatabase(databaseUrl);
  const db = createDb(databaseUrl);
  return {
    db, databaseUrl, dataDir, queuePrefix,
    async cleanup() {
      await db.$disconnect();
      const admin = new pg.Client({ connectionString: serverUrl() });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).catch(() => {});
      await admin.end();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

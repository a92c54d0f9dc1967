// Starts the whole console once for the journeys: its own database and queue prefix, the demo
// fleet at a fast time scale, a real `next start` and a real worker.
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startStack } from "../scripts/lib/stack";
import { freePort, withDatabase } from "../scripts/lib/services";
import { makeDemoArchives } from "../scripts/lib/demo-archives";

export const STACK_FILE = path.join(os.tmpdir(), "fleet-e2e-stack.json");

export default async function globalSetup() {
  const root = path.resolve(import.meta.dirname, "..");
  const suffix = crypto.randomBytes(4).toString("hex");
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "fleet-e2e-"));
  const server = process.env.TEST_DATABASE_SERVER_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
  const port = await freePort();
  const stack = await startStack({
    root, dataDir, port, quiet: true, freePorts: true,
    databaseUrl: withDatabase(server, `fleet_e2e_${suffix}`),
    redisUrl: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
    fleetConfigPath: path.join(root, "simulator/fleets/demo.json"),
    timeScale: 0.01,
    deadlineScale: 0.05,
    queuePrefix: `fleet-e2e-${suffix}`,
    adminPassword: "e2e-admin-password",
    say: (l) => console.log(`[e2e] ${l}`),
  });
  const archives = await makeDemoArchives(path.join(dataDir, "demo-archives"));
  process.env.E2E_BASE_URL = stack.url;
  fs.writeFileSync(STACK_FILE, JSON.stringify({ url: stack.url, admin: stack.admin, controlUrl: stack.controlUrl, archives, vendorKey: path.join(root, "simulator/keys/test-vendor.pub.asc") }));
  return async () => {
    await stack.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
}

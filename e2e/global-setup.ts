// Starts the whole console once for the journeys: its own database and queue prefix, the demo
// fleet at a fast time scale, a real `next start` and a real worker, and a real OpenID Connect
// provider for single sign-on on 127.0.0.2: another site than the console's 127.0.0.1, as in life.
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startStack } from "../scripts/lib/stack";
import { freePort, withDatabase } from "../scripts/lib/services";
import { makeDemoArchives } from "../scripts/lib/demo-archives";
import { oidcEnvFor, startTestOidcProvider, type TestAccount } from "../lib/testing/oidc-provider";

export const STACK_FILE = path.join(os.tmpdir(), "fleet-e2e-stack.json");

/** Who can sign in at the test identity provider (any password), and their groups. */
export const SSO_ACCOUNTS: TestAccount[] = [
  { login: "sso-operator", email: "sso-operator@idp.test", emailVerified: true, name: "Sso Operator", groups: ["staff", "fleet-operators"] },
  { login: "sso-outsider", email: "sso-outsider@idp.test", emailVerified: true, name: "Sso Outsider", groups: ["staff"] },
];

export default async function globalSetup() {
  const root = path.resolve(import.meta.dirname, "..");
  const suffix = crypto.randomBytes(4).toString("hex");
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "fleet-e2e-"));
  const server = process.env.TEST_DATABASE_SERVER_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
  const port = await freePort();
  const idp = await startTestOidcProvider({ host: "127.0.0.2", redirectUris: [`http://127.0.0.1:${port}/api/auth/oidc/callback`], accounts: SSO_ACCOUNTS });
  const databaseUrl = withDatabase(server, `fleet_e2e_${suffix}`);
  const stack = await startStack({
    root, dataDir, port, quiet: true, freePorts: true,
    databaseUrl,
    redisUrl: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
    fleetConfigPath: path.join(root, "simulator/fleets/demo.json"),
    timeScale: 0.01,
    deadlineScale: 0.05,
    queuePrefix: `fleet-e2e-${suffix}`,
    adminPassword: "e2e-admin-password",
    extraEnv: oidcEnvFor(idp),
    say: (l) => console.log(`[e2e] ${l}`),
  });
  const archives = await makeDemoArchives(path.join(dataDir, "demo-archives"));
  process.env.E2E_BASE_URL = stack.url;
  // What a second web server needs to serve the same console (e2e/web-shutdown.spec.ts starts one).
  const webEnv = Object.fromEntries(Object.entries(stack.env).filter(([k]) => /^(DATABASE_URL|REDIS_URL|FLEET_\w+|NEXT_TELEMETRY_DISABLED|CHECKPOINT_DISABLE)$/.test(k)));
  fs.writeFileSync(STACK_FILE, JSON.stringify({ url: stack.url, admin: stack.admin, databaseUrl, controlUrl: stack.controlUrl, archives, vendorKey: path.join(root, "simulator/keys/test-vendor.pub.asc"), sso: { issuer: idp.issuer, label: "Test IdP" }, webEnv }), { mode: 0o600 });
  return async () => {
    await stack.stop();
    await idp.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
}

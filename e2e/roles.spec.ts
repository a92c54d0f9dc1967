// Issue 4: who may call what. Every route file under app/api is asked by every role and by an
// anonymous client; the answers must match ROUTE_PERMISSIONS below, and a route missing from
// that table fails the test. Also: cross-site writes are refused, and a disabled user is out at once.
import crypto from "node:crypto";
import path from "node:path";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { PERMISSIONS, ROLES, type Permission, type Role } from "@/lib/domain/permissions";
import { fillParams, listApiRoutes, newClient, send, signedInClient, WRITE_METHODS } from "./api-routes";
import { snap, stack } from "./support";

/** What each route needs. "public" routes answer an anonymous client. */
const ROUTE_PERMISSIONS: Record<string, Permission | "public"> = {
  "GET /api/appliances": "fleet:read",
  "POST /api/appliances": "appliances:write",
  "GET /api/appliances/[id]": "fleet:read",
  "GET /api/appliances/[id]/backups": "fleet:read",
  "PUT /api/appliances/[id]/golden": "appliances:write",
  "PUT /api/appliances/[id]/tags": "appliances:write",
  "POST /api/appliances/[id]/refresh": "plans:write",
  "POST /api/appliances/[id]/trust": "appliances:write",
  "POST /api/appliances/bulk": "appliances:write",
  "POST /api/appliances/probe": "appliances:write",
  "GET /api/archives": "fleet:read",
  "GET /api/archives/progress/[ticket]": "fleet:read",
  "PUT /api/archives/upload": "archives:write",
  "GET /api/audit": "audit:read",
  "GET /api/audit/export": "audit:read",
  "GET /api/audit/verify": "audit:read",
  "GET /api/campaigns": "fleet:read",
  "POST /api/campaigns": "plans:write",
  "GET /api/campaigns/[id]": "fleet:read",
  "POST /api/campaigns/[id]/abort": "plans:write",
  "POST /api/campaigns/[id]/advance": "plans:write",
  "GET /api/campaigns/[id]/distribution": "fleet:read",
  "POST /api/campaigns/[id]/dry-run": "plans:write",
  "POST /api/campaigns/[id]/launch": "plans:write",
  "POST /api/campaigns/[id]/pause": "plans:write",
  "POST /api/campaigns/[id]/resume": "plans:write",
  "POST /api/campaigns/[id]/waves/[index]/approve": "windows:decide",
  "POST /api/campaigns/preview": "fleet:read",
  "GET /api/auth/oidc/callback": "public",
  "GET /api/auth/oidc/start": "public",
  "POST /api/auth/sign-in": "public",
  "POST /api/auth/sign-out": "public",
  "GET /api/catalog": "fleet:read",
  "PUT /api/catalog": "catalog:write",
  "GET /api/clusters": "fleet:read",
  "POST /api/clusters": "appliances:write",
  "PUT /api/clusters/[id]/golden": "appliances:write",
  "PUT /api/clusters/[id]/tags": "appliances:write",
  "POST /api/clusters/discover": "appliances:write",
  "GET /api/fleet": "fleet:read",
  "GET /api/golden-rules": "fleet:read",
  "PUT /api/golden-rules": "appliances:write",
  "GET /api/me": "fleet:read",
  "GET /api/plans": "fleet:read",
  "POST /api/plans": "plans:write",
  "GET /api/plans/[id]": "fleet:read",
  "POST /api/plans/[id]/abort": "plans:write",
  "POST /api/plans/[id]/backup": "plans:write",
  "GET /api/plans/[id]/events": "fleet:read",
  "POST /api/plans/[id]/fixes": "plans:write",
  "POST /api/plans/[id]/launch": "plans:write",
  "POST /api/plans/[id]/nodes/[applianceId]/retry": "plans:write",
  "POST /api/plans/[id]/pause-after-node": "plans:write",
  "POST /api/plans/[id]/prechecks": "plans:write",
  "POST /api/plans/[id]/resume": "plans:write",
  "POST /api/plans/[id]/steps/[key]/confirm": "plans:write",
  "GET /api/plans/options": "fleet:read",
  "POST /api/plans/restore": "plans:write",
  "GET /api/ssh-identities": "fleet:read",
  "POST /api/ssh-identities": "appliances:write",
  "GET /api/users": "users:write",
  "POST /api/users": "users:write",
  "PATCH /api/users/[id]": "users:write",
  "GET /api/vendor-keys": "fleet:read",
  "POST /api/vendor-keys": "vendor-keys:write",
  "DELETE /api/vendor-keys/[id]": "vendor-keys:write",
  "GET /api/windows": "fleet:read",
  "POST /api/windows": "windows:request",
  "POST /api/windows/[id]/decision": "windows:decide",
  "GET /api/webhooks": "appliances:write",
  "POST /api/webhooks": "appliances:write",
  "PATCH /api/webhooks/[id]": "appliances:write",
  "DELETE /api/webhooks/[id]": "appliances:write",
  "POST /api/webhooks/[id]/test": "appliances:write",
};

/** Who holds each permission, written out so that widening one is a deliberate edit here too. */
const HOLDERS: Record<Permission, readonly Role[]> = {
  "fleet:read": ["viewer", "operator", "approver", "admin"],
  "audit:read": ["viewer", "operator", "approver", "admin"],
  "plans:write": ["operator", "admin"],
  "archives:write": ["operator", "admin"],
  "vendor-keys:write": ["admin"],
  "appliances:write": ["admin"],
  "catalog:write": ["admin"],
  "windows:request": ["operator", "admin"],
  "windows:decide": ["approver", "admin"],
  "users:write": ["admin"],
};

const ROOT = path.resolve(import.meta.dirname, "..");
const PASSWORD = "role-matrix-password";
const suffix = crypto.randomBytes(4).toString("hex");
const clients = new Map<Role | "anonymous", APIRequestContext>();
let admin: APIRequestContext;

async function createUser(role: Role, label: string): Promise<{ id: string; email: string }> {
  const res = await admin.post("/api/users", { data: { email: `${label}-${suffix}@e2e.local`, name: `${label} (${role})`, role, password: PASSWORD } });
  expect(res.status(), await res.text()).toBe(201);
  return (await res.json()) as { id: string; email: string };
}

test.beforeAll(async () => {
  const s = stack();
  admin = await signedInClient(s.url, s.admin.email, s.admin.password);
  clients.set("anonymous", await newClient(s.url));
  for (const role of ROLES) {
    const user = await createUser(role, `matrix-${role}`);
    clients.set(role, await signedInClient(s.url, user.email, PASSWORD));
  }
});

test.afterAll(async () => {
  await Promise.all([admin, ...clients.values()].map((c) => c?.dispose()));
});

test("the route table and the permission table match the source", () => {
  expect(Object.keys(ROUTE_PERMISSIONS).sort(), "ROUTE_PERMISSIONS must name every route file's methods, and only those").toEqual(listApiRoutes(ROOT));
  expect(HOLDERS).toEqual(PERMISSIONS);
});

test("every route answers every role as its permission says", async () => {
  const failures: string[] = [];
  let checks = 0;
  for (const [key, permission] of Object.entries(ROUTE_PERMISSIONS)) {
    const [method, urlPath] = key.split(" ") as [string, string];
    // Signing out a role's client would end its session, so public routes meet the anonymous client only.
    const who = permission === "public" ? (["anonymous"] as const) : (["anonymous", ...ROLES] as const);
    await Promise.all(who.map(async (name) => {
      const res = await send(clients.get(name)!, method, fillParams(urlPath));
      const status = res.status();
      checks++;
      const allowed = permission === "public" || (name !== "anonymous" && HOLDERS[permission].includes(name));
      const expected = permission === "public" ? "not 401/403" : name === "anonymous" ? "401" : allowed ? "not 401/403" : "403";
      const ok = expected === "401" ? status === 401 : expected === "403" ? status === 403 : status !== 401 && status !== 403 && status < 500;
      if (!ok) failures.push(`${key} as ${name}: ${status}, expected ${expected}${status >= 500 ? " and no server error" : ""}: ${(await res.text()).slice(0, 200)}`);
    }));
  }
  test.info().annotations.push({ type: "checks", description: `${checks} route x client requests` });
  console.log(`[roles] ${checks} route x client checks`);
  expect(failures).toEqual([]);
});

test("a cross-site or opaque Origin cannot change state, even for an admin", async () => {
  // Sign-in and sign-out are public but still refuse another site's Origin (login CSRF).
  const writes = Object.entries(ROUTE_PERMISSIONS).filter(([key]) => WRITE_METHODS.has(key.split(" ")[0]!));
  for (const origin of ["https://evil.example", "null"]) {
    for (const [key] of writes) {
      const [method, urlPath] = key.split(" ") as [string, string];
      const res = await send(clients.get("admin")!, method, fillParams(urlPath), { origin });
      expect(res.status(), `${key} with Origin ${origin}`).toBe(403);
      expect(((await res.json()) as { error: { message: string } }).error.message).toContain("Cross-site request refused");
    }
  }
  // The refused create did nothing.
  const email = `cross-site-${suffix}@e2e.local`;
  const refused = await admin.post("/api/users", { headers: { origin: "https://evil.example" }, data: { email, name: "x", role: "admin", password: PASSWORD } });
  expect(refused.status()).toBe(403);
  const users = (await (await admin.get("/api/users")).json()) as { email: string }[];
  expect(users.map((u) => u.email)).not.toContain(email);
});

test("disabling a user signs them out at once, and every change is audited", async () => {
  const s = stack();
  const user = await createUser("viewer", "leaver");
  const leaver = await signedInClient(s.url, user.email, PASSWORD);
  const second = await signedInClient(s.url, user.email, PASSWORD);
  expect((await leaver.get("/api/me")).status()).toBe(200);

  const promoted = await admin.patch(`/api/users/${user.id}`, { data: { role: "operator" } });
  expect(promoted.status(), await promoted.text()).toBe(200);
  // A role change applies to the live session: no sign-out needed.
  expect((await send(leaver, "POST", "/api/plans/restore")).status()).toBe(400);

  const disabled = await admin.patch(`/api/users/${user.id}`, { data: { disabled: true } });
  expect(disabled.status(), await disabled.text()).toBe(200);
  expect((await leaver.get("/api/me")).status()).toBe(401);
  expect((await second.get("/api/me")).status()).toBe(401);
  const again = await leaver.post("/api/auth/sign-in", { data: { email: user.email, password: PASSWORD } });
  expect(again.status()).toBe(401);
  const listed = ((await (await admin.get("/api/users")).json()) as { id: string; disabled: boolean; _count: { sessions: number }; passwordHash?: string }[]).find((u) => u.id === user.id)!;
  expect(listed).toMatchObject({ disabled: true, _count: { sessions: 0 } });
  expect(listed).not.toHaveProperty("passwordHash");

  const audit = (await (await admin.get(`/api/audit?subject=${user.id}`)).json()) as { action: string; actorName: string }[];
  expect(audit.map((a) => a.action).sort()).toEqual(["user-created", "user-disabled", "user-role-changed"]);
  expect(audit.every((a) => a.actorName === s.admin.email)).toBe(true);
  await Promise.all([leaver.dispose(), second.dispose()]);
});

test("bad user input is refused with a message that names the field", async () => {
  const cases: [unknown, RegExp][] = [
    [{ email: `short-${suffix}@e2e.local`, name: "Short", role: "viewer", password: "eleven-char" }, /password: at least 12 characters/],
    [{ email: "not-an-email", name: "X", role: "viewer", password: PASSWORD }, /email/],
    [{ email: `role-${suffix}@e2e.local`, name: "X", role: "root", password: PASSWORD }, /role: one of viewer, operator, approver, admin/],
    [{ email: `matrix-viewer-${suffix}@e2e.local`, name: "Again", role: "viewer", password: PASSWORD }, /already exists/],
  ];
  for (const [data, message] of cases) {
    const res = await admin.post("/api/users", { data });
    expect([400, 409]).toContain(res.status());
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(message);
  }
  const me = (await (await admin.get("/api/me")).json()) as { user: { id: string } };
  const self = await admin.patch(`/api/users/${me.user.id}`, { data: { disabled: true } });
  expect(self.status()).toBe(400);
  expect((await admin.patch(`/api/users/${crypto.randomUUID()}`, { data: { role: "viewer" } })).status()).toBe(404);
});

test("an admin manages users on the Users page", async ({ page }, info) => {
  const s = stack();
  await page.goto(`${s.url}/login`);
  await page.getByLabel("Email").fill(s.admin.email);
  await page.getByLabel("Password").fill(s.admin.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(`${s.url}/`);
  await page.getByRole("link", { name: "Users" }).click();
  const email = `ui-${suffix}@e2e.local`;
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Name").fill("Page-made user");
  await page.getByLabel("Role", { exact: true }).selectOption("approver");
  await page.getByLabel("Initial password (at least 12 characters)").fill("short");
  await page.getByRole("button", { name: "Create user" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "password: at least 12 characters" })).toBeVisible();
  await page.getByLabel("Initial password (at least 12 characters)").fill(PASSWORD);
  await page.getByRole("button", { name: "Create user" }).click();
  await expect(page.getByRole("status")).toContainText(`Created ${email} (approver)`);
  const row = page.getByRole("row", { name: new RegExp(email) });
  await page.getByLabel(`Role of ${email}`).selectOption("operator");
  await expect(page.getByLabel(`Role of ${email}`)).toHaveValue("operator");
  page.once("dialog", (d) => void d.accept());
  await row.getByRole("button", { name: "Disable" }).click();
  await expect(row).toContainText("disabled");
  await snap(page, info, "users");
});

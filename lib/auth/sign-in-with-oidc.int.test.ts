// Single sign-on against a real OpenID Connect provider (oidc-provider, in process, over loopback
// http): the whole authorization code flow by HTTP, accounts created and roles mapped from groups,
// every refusal with its reason, the last admin kept, and forged or replayed answers refused.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestEnv, type TestEnv } from "@/lib/testing/test-env";
import { authorizeAtProvider, oidcEnvFor, startTestOidcProvider, type TestOidcProvider } from "@/lib/testing/oidc-provider";
import { parseOidcConfig, type OidcConfig } from "@/lib/auth/oidc-config";
import { beginOidcSignIn, completeOidcSignIn } from "@/lib/auth/oidc-client";
import { signInWithOidc } from "@/lib/auth/sign-in-with-oidc";
import { readSession } from "@/lib/auth/sessions";
import { createUser } from "@/lib/auth/create-user";
import { SYSTEM_ACTOR } from "@/lib/audit/append-audit-event";
import { freePort } from "@/scripts/lib/services";

const REDIRECT = "http://127.0.0.1:3999/api/auth/oidc/callback";
let env: TestEnv;
let idp: TestOidcProvider;
let config: OidcConfig;

beforeAll(async () => {
  env = await createTestEnv("oidc");
  idp = await startTestOidcProvider({
    redirectUris: [REDIRECT],
    accounts: [
      { login: "alice", email: "Alice@Example.test", emailVerified: true, name: "Alice Admin", groups: ["fleet-admins", "staff"] },
      { login: "bob", email: "bob@example.test", emailVerified: true, name: "Bob", groups: ["fleet-admins"] },
      { login: "oscar", email: "oscar@example.test", emailVerified: true, name: "Oscar", groups: ["fleet-viewers", "fleet-operators"] },
      { login: "nobody", email: "nobody@example.test", emailVerified: true, groups: ["marketing"] },
      { login: "unverified", email: "unverified@example.test", emailVerified: false, groups: ["fleet-admins"] },
      { login: "no-email", groups: ["fleet-admins"] },
      { login: "carol", email: "carol@example.test", emailVerified: true, name: "Carol", groups: ["fleet-approvers"] },
      { login: "dora", email: "dora@example.test", emailVerified: true, groups: ["fleet-operators"] },
      { login: "erin", email: "erin@example.test", emailVerified: true, groups: ["former-fleet-operators"] },
    ],
  });
  config = parseOidcConfig(oidcEnvFor(idp))!;
  await createUser(env.db, SYSTEM_ACTOR, { email: "carol@example.test", name: "Carol", password: "carol's local password", role: "viewer" });
  const dora = await createUser(env.db, SYSTEM_ACTOR, { email: "dora@example.test", name: "Dora", password: "dora's local password", role: "operator" });
  await env.db.user.update({ where: { id: dora.id }, data: { disabled: true } });
  await createUser(env.db, SYSTEM_ACTOR, { email: "erin@example.test", name: "Erin", password: "erin's local password", role: "operator" });
});
afterAll(async () => {
  await idp?.stop();
  await env?.cleanup();
});

async function begin() {
  const begun = await beginOidcSignIn(config, REDIRECT);
  if (!begun.ok) throw new Error(begun.detail);
  return begun;
}

async function signInAs(login: string) {
  const begun = await begin();
  const callback = await authorizeAtProvider(begun.authorizationUrl, login, REDIRECT);
  return signInWithOidc(env.db, config, callback, begun.sealed);
}

async function auditOf(action: string, actorName?: string) {
  return env.db.auditEvent.findMany({ where: { action, ...(actorName ? { actorName } : {}) }, orderBy: { id: "asc" } });
}

describe("single sign-on through OpenID Connect", () => {
  it("asks with PKCE (S256), state and nonce, and keeps them only sealed", async () => {
    const { authorizationUrl, sealed } = await begin();
    const q = authorizationUrl.searchParams;
    expect(authorizationUrl.origin).toBe(idp.issuer);
    expect(q.get("code_challenge_method")).toBe("S256");
    expect(q.get("code_challenge")).toMatch(/^[\w-]{43}$/);
    expect(q.get("state")).toBeTruthy();
    expect(q.get("nonce")).toBeTruthy();
    expect(q.get("redirect_uri")).toBe(REDIRECT);
    expect(sealed).toMatch(/^v1:/);
    expect(sealed).not.toContain(q.get("state")!);
  });

  it("creates an account on first sign-in with the highest mapped role, and audits it", async () => {
    const result = await signInAs("alice");
    expect(result).toMatchObject({ signedIn: true, user: { email: "alice@example.test", name: "Alice Admin", role: "admin" } });
    if (!result.signedIn) return;
    expect(await readSession(env.db, result.token)).toMatchObject({ email: "alice@example.test", role: "admin" });
    const row = await env.db.user.findUniqueOrThrow({ where: { email: "alice@example.test" } });
    expect(row.passwordHash).toBeNull();
    const [created] = await auditOf("user-created", "single sign-on");
    expect(created).toMatchObject({ subjectId: row.id, data: { email: "alice@example.test", role: "admin", method: "oidc", issuer: idp.issuer } });
    expect((await auditOf("signed-in", "alice@example.test")).map((e) => e.data)).toEqual([{ method: "oidc", issuer: idp.issuer }]);

    const oscar = await signInAs("oscar");
    expect(oscar).toMatchObject({ signedIn: true, user: { role: "operator" } });
  });

  it("refuses, with a reason in the audit trail, whoever has no mapped group or no verified email", async () => {
    expect(await signInAs("nobody")).toEqual({ signedIn: false, reason: "no-role" });
    expect(await env.db.user.findUnique({ where: { email: "nobody@example.test" } })).toBeNull();
    expect(await signInAs("unverified")).toEqual({ signedIn: false, reason: "email" });
    expect(await signInAs("no-email")).toEqual({ signedIn: false, reason: "email" });
    expect(await env.db.user.findUnique({ where: { email: "unverified@example.test" } })).toBeNull();
    const refused = await auditOf("sign-in-refused");
    expect(refused.map((e) => [e.actorName, (e.data as { reason: string }).reason])).toEqual([
      ["nobody@example.test", "no-role"], ["unverified@example.test", "email"], ["unknown (single sign-on)", "email"],
    ]);
  });

  it("signs an existing account in, takes its role from the provider and keeps its password", async () => {
    const before = await env.db.user.findUniqueOrThrow({ where: { email: "carol@example.test" } });
    expect(await signInAs("carol")).toMatchObject({ signedIn: true, user: { id: before.id, role: "approver" } });
    const after = await env.db.user.findUniqueOrThrow({ where: { email: "carol@example.test" } });
    expect(after.passwordHash).toBe(before.passwordHash);
    const [changed] = await auditOf("user-role-changed");
    expect(changed).toMatchObject({ actorName: "single sign-on", subjectId: before.id, data: { from: "viewer", to: "approver", method: "oidc" } });
  });

  it("refuses an existing account that is in no mapped group any more, and keeps its role", async () => {
    expect(await signInAs("erin")).toEqual({ signedIn: false, reason: "no-role" });
    const erin = await env.db.user.findUniqueOrThrow({ where: { email: "erin@example.test" }, include: { sessions: true } });
    expect(erin).toMatchObject({ role: "operator", disabled: false, sessions: [] });
    expect((await auditOf("sign-in-refused", "erin@example.test")).map((e) => (e.data as { reason: string }).reason)).toEqual(["no-role"]);
  });

  it("refuses a disabled account", async () => {
    expect(await signInAs("dora")).toEqual({ signedIn: false, reason: "disabled" });
    const dora = await env.db.user.findUniqueOrThrow({ where: { email: "dora@example.test" }, include: { sessions: true } });
    expect(dora.sessions).toEqual([]);
    expect((await auditOf("sign-in-refused", "dora@example.test")).map((e) => e.data)).toEqual([{ method: "oidc", issuer: idp.issuer, reason: "disabled" }]);
  });

  it("never demotes the last enabled admin; demotes an admin once another exists", async () => {
    idp.accounts.get("alice")!.groups = ["fleet-operators"];
    expect(await signInAs("alice")).toMatchObject({ signedIn: true, user: { role: "admin" } });
    expect(await auditOf("user-role-change-refused")).toMatchObject([{ data: { email: "alice@example.test", from: "admin", to: "operator", reason: "last enabled admin" } }]);

    expect(await signInAs("bob")).toMatchObject({ signedIn: true, user: { role: "admin" } });
    expect(await signInAs("alice")).toMatchObject({ signedIn: true, user: { role: "operator" } });
    expect((await auditOf("user-role-changed")).map((e) => e.data)).toContainEqual(expect.objectContaining({ email: "alice@example.test", from: "admin", to: "operator" }));
  });

  it("refuses a forged, mismatched, tampered, expired or replayed answer", async () => {
    const first = await begin();
    const callback = await authorizeAtProvider(first.authorizationUrl, "oscar", REDIRECT);
    const other = await begin();

    const forged = new URL(callback);
    forged.searchParams.set("state", "forged-state");
    expect(await signInWithOidc(env.db, config, forged, first.sealed)).toEqual({ signedIn: false, reason: "state" });
    // Another attempt's cookie (a login CSRF: the attacker's code in the victim's browser).
    expect(await signInWithOidc(env.db, config, callback, other.sealed)).toEqual({ signedIn: false, reason: "state" });
    expect(await signInWithOidc(env.db, config, callback, undefined)).toEqual({ signedIn: false, reason: "state" });
    const tampered = first.sealed.slice(0, -4) + (first.sealed.endsWith("AAAA") ? "BBBB" : "AAAA");
    expect(await signInWithOidc(env.db, config, callback, tampered)).toEqual({ signedIn: false, reason: "state" });
    expect(await completeOidcSignIn(config, callback, first.sealed, Date.now() + 11 * 60_000)).toMatchObject({ ok: false, reason: "state" });

    expect(await signInWithOidc(env.db, config, callback, first.sealed)).toMatchObject({ signedIn: true, user: { email: "oscar@example.test" } });
    // The provider redeems a code once: the same answer again is refused.
    expect(await signInWithOidc(env.db, config, callback, first.sealed)).toEqual({ signedIn: false, reason: "failed" });

    const denied = new URL(REDIRECT);
    denied.search = new URLSearchParams({ error: "access_denied", state: other.authorizationUrl.searchParams.get("state")! }).toString();
    expect(await signInWithOidc(env.db, config, denied, other.sealed)).toEqual({ signedIn: false, reason: "denied" });
    const reasons = (await auditOf("sign-in-refused", "unknown (single sign-on)")).map((e) => (e.data as { reason: string }).reason);
    expect(reasons).toEqual(["email", "state", "state", "state", "state", "failed", "denied"]);
  });

  it("says the provider is unavailable when discovery fails", async () => {
    const closed = parseOidcConfig({ ...oidcEnvFor(idp), FLEET_OIDC_ISSUER: `http://127.0.0.1:${await freePort()}` })!;
    expect(await beginOidcSignIn(closed, REDIRECT)).toMatchObject({ ok: false, reason: "unavailable" });
  });
});

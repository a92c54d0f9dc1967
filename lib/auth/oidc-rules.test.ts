import { describe, expect, it } from "vitest";
import { decideOidcAccount, isOidcRefusal, readOidcIdentity } from "@/lib/auth/oidc-rules";
import { parseRoleMap } from "@/lib/auth/oidc-config";

const roleMap = (() => {
  const parsed = parseRoleMap("fleet-admins=admin,fleet-operators=operator");
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.map;
})();
const config = { roleClaim: "groups", roleMap };

describe("the identity in a provider's claims", () => {
  it("needs an email that is not marked unverified", () => {
    expect(readOidcIdentity({ sub: "1", email: "A@Example.test", groups: ["fleet-admins"] }, config)).toEqual({ ok: true, identity: { subject: "1", email: "a@example.test", name: "a@example.test", role: "admin", groups: ["fleet-admins"] } });
    expect(readOidcIdentity({ sub: "1", email: "a@example.test", email_verified: false }, config)).toEqual({ ok: false, reason: "email", email: "a@example.test" });
    expect(readOidcIdentity({ sub: "1", email: "a@example.test", email_verified: "false" }, config)).toMatchObject({ ok: false, reason: "email" });
    expect(readOidcIdentity({ sub: "1" }, config)).toEqual({ ok: false, reason: "email", email: null });
    expect(readOidcIdentity({ sub: "1", email: "not-an-address" }, config)).toMatchObject({ ok: false, reason: "email" });
  });

  it("takes the name, else the preferred username, else the email; no mapped group gives no role", () => {
    expect(readOidcIdentity({ sub: "1", email: "a@x.test", name: " Ann ", preferred_username: "ann" }, config)).toMatchObject({ ok: true, identity: { name: "Ann", role: null } });
    expect(readOidcIdentity({ sub: "1", email: "a@x.test", name: "", preferred_username: "ann" }, config)).toMatchObject({ ok: true, identity: { name: "ann" } });
  });
});

describe("what single sign-on does to the console account", () => {
  it.each([
    ["no account, mapped", null, "operator", 1, { kind: "create", role: "operator" }],
    ["no account, no mapped group", null, null, 1, { kind: "refuse", reason: "no-role" }],
    ["disabled account", { role: "viewer", disabled: true }, "admin", 2, { kind: "refuse", reason: "disabled" }],
    ["same role", { role: "operator", disabled: false }, "operator", 1, { kind: "sign-in", role: "operator", roleChange: null, keptLastAdmin: false }],
    ["an existing account in no mapped group is refused", { role: "approver", disabled: false }, null, 1, { kind: "refuse", reason: "no-role" }],
    ["promotion", { role: "viewer", disabled: false }, "admin", 1, { kind: "sign-in", role: "admin", roleChange: { from: "viewer", to: "admin" }, keptLastAdmin: false }],
    ["demotion of one admin of two", { role: "admin", disabled: false }, "viewer", 2, { kind: "sign-in", role: "viewer", roleChange: { from: "admin", to: "viewer" }, keptLastAdmin: false }],
    ["demotion of the last admin", { role: "admin", disabled: false }, "operator", 1, { kind: "sign-in", role: "admin", roleChange: null, keptLastAdmin: true }],
  ] as const)("%s", (_label, existing, mapped, admins, decision) => {
    expect(decideOidcAccount(existing, mapped, admins)).toEqual(decision);
  });

  it("knows its refusal codes and nothing else", () => {
    expect(isOidcRefusal("no-role")).toBe(true);
    expect(isOidcRefusal("toString")).toBe(false);
    expect(isOidcRefusal(["state"])).toBe(false);
  });
});

import { describe, expect, it } from "vitest";
import { isLoopbackHost, mapRole, parseOidcConfig, parseRoleMap, readClaim } from "@/lib/auth/oidc-config";

const BASE = {
  FLEET_OIDC_ISSUER: "https://idp.example.com/realms/ops",
  FLEET_OIDC_CLIENT_ID: "fleet-console",
  FLEET_OIDC_CLIENT_SECRET: "s3cret",
  FLEET_OIDC_ROLE_MAP: "fleet-admins=admin, fleet-approvers=approver,fleet-operators=operator,fleet-viewers=viewer",
};

describe("single sign-on configuration", () => {
  it("is off when FLEET_OIDC_ISSUER is unset or empty", () => {
    expect(parseOidcConfig({})).toBeNull();
    expect(parseOidcConfig({ FLEET_OIDC_ISSUER: "  ", FLEET_OIDC_CLIENT_ID: "x" })).toBeNull();
  });

  it("reads every variable, with defaults for the optional ones", () => {
    const c = parseOidcConfig(BASE)!;
    expect(c).toMatchObject({ issuer: BASE.FLEET_OIDC_ISSUER, clientId: "fleet-console", clientSecret: "s3cret", scope: "openid email profile", roleClaim: "groups", label: "single sign-on", redirectUri: null, insecure: false });
    expect([...c.roleMap]).toEqual([["fleet-admins", "admin"], ["fleet-approvers", "approver"], ["fleet-operators", "operator"], ["fleet-viewers", "viewer"]]);
    const named = parseOidcConfig({ ...BASE, FLEET_OIDC_NAME: "Okta", FLEET_OIDC_ROLE_CLAIM: "roles", FLEET_OIDC_SCOPES: "openid email groups", FLEET_OIDC_CLIENT_SECRET: "" })!;
    expect(named).toMatchObject({ label: "Okta", roleClaim: "roles", scope: "openid email groups", clientSecret: null });
  });

  it.each([
    [{ FLEET_OIDC_ISSUER: "not a url" }, /FLEET_OIDC_ISSUER must be the issuer's URL/],
    [{ FLEET_OIDC_ISSUER: "http://idp.example.com" }, /FLEET_OIDC_ISSUER must use https \(plain http only for a loopback host/],
    [{ FLEET_OIDC_ISSUER: "http://10.0.0.5:8080" }, /FLEET_OIDC_ISSUER must use https/],
    [{ FLEET_OIDC_CLIENT_ID: undefined }, /FLEET_OIDC_CLIENT_ID is required when FLEET_OIDC_ISSUER is set/],
    [{ FLEET_OIDC_ROLE_MAP: undefined }, /FLEET_OIDC_ROLE_MAP is required when FLEET_OIDC_ISSUER is set/],
    [{ FLEET_OIDC_ROLE_MAP: "fleet-admins=root" }, /FLEET_OIDC_ROLE_MAP "fleet-admins=root": root is not a role \(one of viewer, operator, approver, admin\)/],
    [{ FLEET_OIDC_ROLE_MAP: "fleet-admins" }, /FLEET_OIDC_ROLE_MAP "fleet-admins" is not group=role/],
    [{ FLEET_OIDC_ROLE_MAP: "a=admin,a=viewer" }, /group a is mapped twice/],
    [{ FLEET_OIDC_ROLE_MAP: " , " }, /map at least one group/],
    [{ FLEET_OIDC_SCOPES: "email profile" }, /FLEET_OIDC_SCOPES must include openid/],
    [{ FLEET_OIDC_REDIRECT_URI: "https://fleet.example.com/callback" }, /FLEET_OIDC_REDIRECT_URI must be <console URL>\/api\/auth\/oidc\/callback/],
  ])("refuses %o naming the variable", (change, message) => {
    expect(() => parseOidcConfig({ ...BASE, ...change })).toThrow(message);
  });

  it("allows plain http only to a loopback issuer, and says so", () => {
    for (const issuer of ["http://127.0.0.1:4000", "http://127.0.0.2:4000/", "http://localhost:4000/idp", "http://[::1]:4000"]) {
      expect(parseOidcConfig({ ...BASE, FLEET_OIDC_ISSUER: issuer })!.insecure).toBe(true);
    }
    expect(isLoopbackHost("127.255.255.255")).toBe(true);
    for (const host of ["128.0.0.1", "127.0.0.256", "localhost.example.com", "10.0.0.1", "127.0.0.1.nip.io", "[::2]"]) expect(isLoopbackHost(host)).toBe(false);
  });

  it("allows a group name with = in it (the role is after the last =)", () => {
    const parsed = parseRoleMap("cn=fleet-admins=admin");
    expect(parsed.ok && [...parsed.map]).toEqual([["cn=fleet-admins", "admin"]]);
  });
});

describe("role mapping", () => {
  const map = parseOidcConfig(BASE)!.roleMap;
  it.each([
    [["fleet-viewers"], "viewer"],
    [["fleet-viewers", "fleet-operators"], "operator"],
    [["fleet-operators", "fleet-approvers"], "approver"],
    [["staff", "fleet-admins", "fleet-viewers"], "admin"],
    ["fleet-operators", "operator"],
    [["staff", "Fleet-Admins"], null],
    [[], null],
    [undefined, null],
    [42, null],
    [[7, null, { group: "fleet-admins" }], null],
  ])("groups %j give %s", (groups, role) => {
    expect(mapRole(groups, map)).toBe(role);
  });

  it("reads a claim by its exact name first, else by a dotted path", () => {
    const claims = { "https://example.com/groups": ["a"], realm_access: { roles: ["b"] } };
    expect(readClaim(claims, "https://example.com/groups")).toEqual(["a"]);
    expect(readClaim(claims, "realm_access.roles")).toEqual(["b"]);
    expect(readClaim(claims, "realm_access.missing.deeper")).toBeUndefined();
  });
});

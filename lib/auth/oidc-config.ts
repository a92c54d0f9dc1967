// Single sign-on settings from the environment and the group-to-role mapping. Pure (no I/O), so
// every rule has a unit test; SSO is off when FLEET_OIDC_ISSUER is unset.
import { z } from "zod";
import { ROLES, type Role } from "@/lib/domain/permissions";

export interface OidcConfig {
  issuer: string;
  clientId: string;
  /** Null for a public client (PKCE only, no client authentication). */
  clientSecret: string | null;
  scope: string;
  roleClaim: string;
  roleMap: ReadonlyMap<string, Role>;
  /** What the login page's button says: "Sign in with <label>". */
  label: string;
  /** Null: the callback URL is derived from the request's own origin. */
  redirectUri: string | null;
  /** Plain http to the issuer, allowed for loopback hosts only (tests, a local IdP). */
  insecure: boolean;
}

const LOOPBACK_NAMES = new Set(["localhost", "[::1]", "::1"]);

/** 127.0.0.0/8, ::1 and localhost: the only hosts an issuer may be reached on over plain http. */
export function isLoopbackHost(hostname: string): boolean {
  if (LOOPBACK_NAMES.has(hostname.toLowerCase())) return true;
  return /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.test(hostname) && hostname.split(".").every((n) => Number(n) <= 255);
}

function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

/** "fleet-admins=admin,fleet-viewers=viewer": a group name may contain "=", the role is after the last one. */
export function parseRoleMap(text: string): { ok: true; map: Map<string, Role> } | { ok: false; message: string } {
  const map = new Map<string, Role>();
  for (const entry of text.split(",").map((e) => e.trim()).filter(Boolean)) {
    const at = entry.lastIndexOf("=");
    const group = at > 0 ? entry.slice(0, at).trim() : "";
    const role = at > 0 ? entry.slice(at + 1).trim() : "";
    if (!group || !role) return { ok: false, message: `"${entry}" is not group=role` };
    if (!isRole(role)) return { ok: false, message: `"${entry}": ${role} is not a role (one of ${ROLES.join(", ")})` };
    if (map.has(group) && map.get(group) !== role) return { ok: false, message: `group ${group} is mapped twice` };
    map.set(group, role);
  }
  if (map.size === 0) return { ok: false, message: "map at least one group to a role, e.g. fleet-admins=admin,fleet-operators=operator" };
  return { ok: true, map };
}

const optional = z.string().trim().optional().transform((v) => (v ? v : undefined));

// Keys are the variables themselves, so every error names the one to fix.
const OidcEnvSchema = z.object({
  FLEET_OIDC_ISSUER: z.string().trim().superRefine((v, ctx) => {
    const url = URL.canParse(v) ? new URL(v) : null;
    if (!url) return ctx.addIssue({ code: "custom", message: "must be the issuer's URL, e.g. https://idp.example.com/realms/ops" });
    if (url.protocol === "https:") return;
    if (url.protocol === "http:" && isLoopbackHost(url.hostname)) return;
    ctx.addIssue({ code: "custom", message: `must use https (plain http only for a loopback host such as 127.0.0.1 or localhost): ${v}` });
  }),
  FLEET_OIDC_CLIENT_ID: z.string({ message: "is required when FLEET_OIDC_ISSUER is set" }).trim().min(1, "is required when FLEET_OIDC_ISSUER is set"),
  FLEET_OIDC_CLIENT_SECRET: optional,
  FLEET_OIDC_SCOPES: optional.refine((v) => !v || v.split(/\s+/).includes("openid"), "must include openid"),
  FLEET_OIDC_ROLE_CLAIM: optional,
  FLEET_OIDC_ROLE_MAP: z.string({ message: "is required when FLEET_OIDC_ISSUER is set: group=role pairs, e.g. fleet-admins=admin,fleet-operators=operator" }).transform((v, ctx) => {
    const parsed = parseRoleMap(v);
    if (!parsed.ok) {
      ctx.addIssue({ code: "custom", message: parsed.message });
      return z.NEVER;
    }
    return parsed.map;
  }),
  FLEET_OIDC_NAME: optional,
  FLEET_OIDC_REDIRECT_URI: optional.refine((v) => !v || /^https?:\/\/[^/]+\/api\/auth\/oidc\/callback$/.test(v), "must be <console URL>/api/auth/oidc/callback"),
});

/** Null when SSO is off; throws an Error naming each bad variable when it is misconfigured. */
export function parseOidcConfig(env: Record<string, string | undefined>): OidcConfig | null {
  if (!env.FLEET_OIDC_ISSUER?.trim()) return null;
  const parsed = OidcEnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `- ${i.path.join(".")} ${i.message}`).join("\n");
    throw new Error(`single sign-on configuration is invalid:\n${lines}`);
  }
  const v = parsed.data;
  return {
    issuer: v.FLEET_OIDC_ISSUER,
    clientId: v.FLEET_OIDC_CLIENT_ID,
    clientSecret: v.FLEET_OIDC_CLIENT_SECRET ?? null,
    scope: v.FLEET_OIDC_SCOPES ?? "openid email profile",
    roleClaim: v.FLEET_OIDC_ROLE_CLAIM ?? "groups",
    roleMap: v.FLEET_OIDC_ROLE_MAP,
    label: v.FLEET_OIDC_NAME ?? "single sign-on",
    redirectUri: v.FLEET_OIDC_REDIRECT_URI ?? null,
    insecure: new URL(v.FLEET_OIDC_ISSUER).protocol === "http:",
  };
}

/** A claim by its exact name (Auth0-style URL names have dots), else by a dotted path (realm_access.roles). */
export function readClaim(claims: Record<string, unknown>, name: string): unknown {
  if (name in claims) return claims[name];
  let value: unknown = claims;
  for (const part of name.split(".")) {
    if (!value || typeof value !== "object") return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/** The highest role (admin > approver > operator > viewer) any of the user's groups maps to; null if none. */
export function mapRole(claimValue: unknown, roleMap: ReadonlyMap<string, Role>): Role | null {
  const groups = Array.isArray(claimValue) ? claimValue : typeof claimValue === "string" ? [claimValue] : [];
  let best = -1;
  for (const group of groups) {
    const role = typeof group === "string" ? roleMap.get(group) : undefined;
    if (role) best = Math.max(best, ROLES.indexOf(role));
  }
  return best < 0 ? null : ROLES[best]!;
}

/** The process's single sign-on settings (see parseOidcConfig). */
export function readOidcConfig(env: Record<string, string | undefined> = process.env): OidcConfig | null {
  return parseOidcConfig(env);
}

// Who a single sign-on makes of an identity provider's answer: the claims the console needs and
// what happens to the console account. Pure; the reasons are the codes the login page explains.
import type { Role } from "@/lib/domain/permissions";
import { mapRole, readClaim, type OidcConfig } from "@/lib/auth/oidc-config";

export const OIDC_REFUSALS = {
  state: "The single sign-on attempt expired or did not start from this console. Try again.",
  denied: "Your identity provider did not sign you in (cancelled or refused). Try again, or ask an administrator.",
  failed: "Single sign-on failed: the identity provider's answer could not be verified. Try again; the audit trail has the reason.",
  unavailable: "The identity provider cannot be reached right now. Try again later, or sign in with a password.",
  email: "Your identity provider did not give a verified email address, which the console needs to know who you are.",
  "no-role": "Your identity provider account is not in any group mapped to a console role; ask an administrator.",
  disabled: "Your console account is disabled; ask an administrator.",
} as const;

export type OidcRefusal = keyof typeof OIDC_REFUSALS;

export function isOidcRefusal(code: unknown): code is OidcRefusal {
  return typeof code === "string" && Object.hasOwn(OIDC_REFUSALS, code);
}

export interface OidcIdentity {
  subject: string;
  email: string;
  name: string;
  /** Null when none of the user's groups is mapped. */
  role: Role | null;
  groups: unknown;
}

/** The console knows people by email: it must be present and not marked unverified. */
export function readOidcIdentity(claims: Record<string, unknown>, config: Pick<OidcConfig, "roleClaim" | "roleMap">): { ok: true; identity: OidcIdentity } | { ok: false; reason: OidcRefusal; email: string | null } {
  const email = typeof claims.email === "string" && claims.email.includes("@") ? claims.email.trim().toLowerCase() : null;
  if (!email || claims.email_verified === false || claims.email_verified === "false") return { ok: false, reason: "email", email };
  const name = [claims.name, claims.preferred_username].find((n): n is string => typeof n === "string" && n.trim() !== "")?.trim() ?? email;
  const groups = readClaim(claims, config.roleClaim);
  return { ok: true, identity: { subject: String(claims.sub), email, name, role: mapRole(groups, config.roleMap), groups } };
}

export interface ExistingAccount {
  role: Role;
  disabled: boolean;
}

export type OidcAccountDecision =
  | { kind: "refuse"; reason: OidcRefusal }
  | { kind: "create"; role: Role }
  | { kind: "sign-in"; role: Role; roleChange: { from: Role; to: Role } | null; keptLastAdmin: boolean };

/**
 * The identity provider is the authority on roles for anyone who signs in through it: a mapped role
 * replaces the stored one, except that it never takes the role from the last enabled admin. Nobody
 * in no mapped group signs in through it, existing account or not: taking someone out of the
 * groups at the provider takes away their single sign-on.
 */
export function decideOidcAccount(existing: ExistingAccount | null, mapped: Role | null, enabledAdmins: number): OidcAccountDecision {
  if (!existing) return mapped ? { kind: "create", role: mapped } : { kind: "refuse", reason: "no-role" };
  if (existing.disabled) return { kind: "refuse", reason: "disabled" };
  if (!mapped) return { kind: "refuse", reason: "no-role" };
  if (mapped === existing.role) return { kind: "sign-in", role: existing.role, roleChange: null, keptLastAdmin: false };
  if (existing.role === "admin" && enabledAdmins <= 1) return { kind: "sign-in", role: "admin", roleChange: null, keptLastAdmin: true };
  return { kind: "sign-in", role: mapped, roleChange: { from: existing.role, to: mapped }, keptLastAdmin: false };
}

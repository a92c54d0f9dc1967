// Single sign-on's last leg: the identity provider's checked answer becomes a console session. The
// account is found by email, created on first sign-in (no password) and given the mapped role;
// every refusal, creation, role change and sign-in is audited in the same transaction.
import type { Db } from "@/lib/db/client";
import { appendAuditEvent, type Actor } from "@/lib/audit/append-audit-event";
import { startSession, type SessionUser } from "@/lib/auth/sessions";
import { completeOidcSignIn } from "@/lib/auth/oidc-client";
import { ADMIN_CHANGE_LOCK } from "@/lib/auth/manage-users";
import { decideOidcAccount, readOidcIdentity, type OidcRefusal } from "@/lib/auth/oidc-rules";
import type { OidcConfig } from "@/lib/auth/oidc-config";
import { logger } from "@/lib/log/logger";

export type OidcSignInResult =
  | { signedIn: true; token: string; expiresAt: Date; user: SessionUser }
  | { signedIn: false; reason: OidcRefusal };

const SSO_ACTOR: Actor = { type: "system", id: null, name: "single sign-on" };

async function refuse(db: Db, config: OidcConfig, reason: OidcRefusal, who: { id: string | null; email: string | null }, detail?: string): Promise<OidcSignInResult> {
  logger.warn({ reason, detail, email: who.email }, "single sign-on refused");
  await appendAuditEvent(db, {
    actor: { type: "user", id: who.id, name: who.email ?? "unknown (single sign-on)" },
    action: "sign-in-refused",
    data: { method: "oidc", issuer: config.issuer, reason, ...(detail ? { detail: detail.slice(0, 500) } : {}) },
  });
  return { signedIn: false, reason };
}

export async function signInWithOidc(db: Db, config: OidcConfig, callbackUrl: URL, sealedPending: string | undefined): Promise<OidcSignInResult> {
  const answer = await completeOidcSignIn(config, callbackUrl, sealedPending);
  if (!answer.ok) return refuse(db, config, answer.reason, { id: null, email: null }, answer.detail);
  const read = readOidcIdentity(answer.claims, config);
  if (!read.ok) return refuse(db, config, read.reason, { id: null, email: read.email }, `email ${String(answer.claims.email ?? "missing")}, email_verified ${String(answer.claims.email_verified)}`);
  const { identity } = read;
  const how = { method: "oidc", issuer: config.issuer };

  const outcome = await db.$transaction(async (tx) => {
    // The same lock as an admin's role changes: two sign-ins cannot demote the last two admins at once.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${ADMIN_CHANGE_LOCK})`;
    const existing = await tx.user.findUnique({ where: { email: identity.email } });
    const enabledAdmins = await tx.user.count({ where: { role: "admin", disabled: false } });
    const decision = decideOidcAccount(existing, identity.role, enabledAdmins);
    if (decision.kind === "refuse") return { refused: decision.reason, userId: existing?.id ?? null };

    let user = existing;
    if (decision.kind === "create") {
      user = await tx.user.create({ data: { email: identity.email, name: identity.name, role: decision.role, passwordHash: null } });
      await appendAuditEvent(tx, { actor: SSO_ACTOR, action: "user-created", subjectType: "user", subjectId: user.id, data: { email: user.email, role: user.role, ...how, groups: identity.groups ?? null } });
    } else if (decision.roleChange) {
      user = await tx.user.update({ where: { id: existing!.id }, data: { role: decision.role } });
      await appendAuditEvent(tx, { actor: SSO_ACTOR, action: "user-role-changed", subjectType: "user", subjectId: user.id, data: { email: user.email, ...decision.roleChange, ...how, groups: identity.groups ?? null } });
    } else if (decision.keptLastAdmin) {
      await appendAuditEvent(tx, { actor: SSO_ACTOR, action: "user-role-change-refused", subjectType: "user", subjectId: existing!.id, data: { email: existing!.email, from: "admin", to: identity.role, reason: "last enabled admin", ...how } });
    }
    const session = await startSession(tx, user!, how);
    return { user: user!, ...session };
  });

  if ("refused" in outcome) return refuse(db, config, outcome.refused!, { id: outcome.userId ?? null, email: identity.email });
  const { user, token, expiresAt } = outcome;
  return { signedIn: true, token, expiresAt, user: { id: user.id, email: user.email, name: user.name, role: user.role } };
}

// Sessions live in Postgres keyed by the sha256 of a random cookie token, so a database dump
// holds no usable session.
import crypto from "node:crypto";
import { z } from "zod";
import { inTransaction, type Db, type DbOrTx } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { verifyPassword } from "@/lib/auth/passwords";
import { checkSignInAllowed, clearSignInFailures, recordSignInFailure } from "@/lib/auth/sign-in-limit";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import type { Role } from "@/lib/domain/permissions";

export const SESSION_COOKIE = "fleet_session";
export const SESSION_HOURS = 12;

export interface SessionUser {
  id: string;
  email: string;
  name: string;
  role: Role;
}

function tokenId(token: string): string {
  return crypto.createHash("sha256").update(token).digest("hex");
}

/** POST /api/auth/sign-in. */
export const SignInSchema = z.object({ email: z.string().email(), password: z.string().min(1).max(500) });

export async function signIn(db: Db, email: string, password: string, address: string | null = null): Promise<{ token: string; user: SessionUser; expiresAt: Date }> {
  await checkSignInAllowed(email, address);
  const user = await db.user.findUnique({ where: { email: email.trim().toLowerCase() } });
  const ok = user?.passwordHash ? await verifyPassword(password, user.passwordHash) : false;
  if (!user || !ok || user.disabled) {
    await recordSignInFailure(email, address);
    await appendAuditEvent(db, { actor: { type: "user", id: user?.id ?? null, name: email }, action: "sign-in-refused", data: { reason: user?.disabled ? "disabled" : "bad credentials" } });
    throw new AppError("unauthenticated", "Email or password is wrong, or the account is disabled.");
  }
  await clearSignInFailures(email, address);
  const { token, expiresAt } = await startSession(db, user, { method: "password" });
  return { token, expiresAt, user: { id: user.id, email: user.email, name: user.name, role: user.role } };
}

/** A new session for a user already authenticated (password or single sign-on), audited as "signed-in". */
export async function startSession(db: DbOrTx, user: { id: string; email: string }, auditData: Record<string, unknown>): Promise<{ token: string; expiresAt: Date }> {
  const token = crypto.randomBytes(32).toString("base64url");
  const expiresAt = new Date(Date.now() + SESSION_HOURS * 3600_000);
  await inTransaction(db, async (tx) => {
    await tx.session.create({ data: { id: tokenId(token), userId: user.id, expiresAt } });
    await appendAuditEvent(tx, { actor: { type: "user", id: user.id, name: user.email }, action: "signed-in", data: auditData });
  });
  return { token, expiresAt };
}

/** The session cookie's attributes: httpOnly and SameSite=strict, Secure when the console is served over https. */
export function sessionCookieOptions(secure: boolean, expires: Date) {
  return { httpOnly: true, sameSite: "strict", secure, path: "/", expires } as const;
}

export async function readSession(db: Db, token: string | undefined): Promise<SessionUser | null> {
  if (!token) return null;
  const session = await db.session.findUnique({ where: { id: tokenId(token) }, include: { user: true } });
  if (!session || session.expiresAt < new Date() || session.user.disabled) return null;
  const { user } = session;
  return { id: user.id, email: user.email, name: user.name, role: user.role };
}

export async function signOut(db: Db, token: string): Promise<void> {
  await db.session.deleteMany({ where: { id: tokenId(token) } });
}

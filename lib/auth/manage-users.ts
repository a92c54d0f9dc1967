// An admin manages who may use the console: create a user with a role, change a role, disable a
// user (their sessions are deleted in the same transaction, so they are signed out at once).
// The console never loses its last enabled admin. Every change is audited.
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { createUser } from "@/lib/auth/create-user";
import { ROLES } from "@/lib/domain/permissions";
import { appendAuditEvent, type Actor } from "@/lib/audit/append-audit-event";
import { Prisma } from "@/lib/generated/prisma/client";

export const MIN_PASSWORD_LENGTH = 12;

export const CreateUserSchema = z.object({
  email: z.string().trim().toLowerCase().email("not an email address").max(320),
  name: z.string().trim().min(1, "say who this is").max(200),
  role: z.enum(ROLES, { message: `one of ${ROLES.join(", ")}` }),
  password: z.string().min(MIN_PASSWORD_LENGTH, `at least ${MIN_PASSWORD_LENGTH} characters`).max(500, "at most 500 characters"),
});
export type CreateUserInput = z.infer<typeof CreateUserSchema>;

export const UpdateUserSchema = z
  .object({
    role: z.enum(ROLES, { message: `one of ${ROLES.join(", ")}` }).optional(),
    disabled: z.boolean({ message: "true or false" }).optional(),
  })
  .strict()
  .refine((v) => v.role !== undefined || v.disabled !== undefined, { message: "say what to change: role or disabled" });
export type UpdateUserInput = z.infer<typeof UpdateUserSchema>;

/** What an admin sees of a user: never the password hash. */
const PUBLIC_FIELDS = { id: true, email: true, name: true, role: true, disabled: true, createdAt: true } as const;

// Serializes role and disable changes, so two admins demoting each other cannot leave none.
export const ADMIN_CHANGE_LOCK = 72_707_010;

export async function listUsers(db: Db) {
  return db.user.findMany({ orderBy: { email: "asc" }, select: { ...PUBLIC_FIELDS, _count: { select: { sessions: { where: { expiresAt: { gt: new Date() } } } } } } });
}

export async function createUserAccount(db: Db, actor: Actor, input: CreateUserInput) {
  try {
    const { id, email, name, role, disabled, createdAt } = await createUser(db, actor, input);
    return { id, email, name, role, disabled, createdAt };
  } catch (e) {
    if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === "P2002") {
      throw new AppError("conflict", `email: a user with the email ${input.email} already exists.`);
    }
    throw e;
  }
}

export async function updateUser(db: Db, actor: Actor, userId: string, input: UpdateUserInput) {
  if (!z.string().uuid().safeParse(userId).success) throw new AppError("not-found", `No user ${userId}.`);
  if (input.disabled === true && userId === actor.id) throw new AppError("bad-input", "disabled: you cannot disable your own account; ask another admin.");
  const after = await db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${ADMIN_CHANGE_LOCK})`;
    const before = await tx.user.findUnique({ where: { id: userId }, select: PUBLIC_FIELDS });
    if (!before) throw new AppError("not-found", `No user ${userId}.`);
    const after = { role: input.role ?? before.role, disabled: input.disabled ?? before.disabled };
    const losesAdmin = before.role === "admin" && !before.disabled && (after.role !== "admin" || after.disabled);
    if (losesAdmin && (await tx.user.count({ where: { role: "admin", disabled: false } })) <= 1) {
      throw new AppError("conflict", `${before.email} is the last enabled admin; make another admin first.`);
    }
    const user = await tx.user.update({ where: { id: userId }, data: after, select: PUBLIC_FIELDS });
    // A disabled user is signed out now, not when their session would have expired.
    const signedOut = after.disabled && !before.disabled ? (await tx.session.deleteMany({ where: { userId } })).count : 0;
    if (before.role !== user.role) {
      await appendAuditEvent(tx, { actor, action: "user-role-changed", subjectType: "user", subjectId: userId, data: { email: user.email, from: before.role, to: user.role } });
    }
    if (before.disabled !== user.disabled) {
      await appendAuditEvent(tx, { actor, action: user.disabled ? "user-disabled" : "user-enabled", subjectType: "user", subjectId: userId, data: { email: user.email, sessionsEnded: signedOut } });
    }
    return user;
  });
  return after;
}

import { inTransaction, type DbOrTx } from "@/lib/db/client";
import { hashPassword } from "@/lib/auth/passwords";
import type { Role } from "@/lib/domain/permissions";
import { appendAuditEvent, type Actor } from "@/lib/audit/append-audit-event";

export async function createUser(db: DbOrTx, actor: Actor, input: { email: string; name: string; password: string; role: Role }) {
  const passwordHash = await hashPassword(input.password);
  return inTransaction(db, async (tx) => {
    const user = await tx.user.create({ data: { email: input.email.trim().toLowerCase(), name: input.name, role: input.role, passwordHash } });
    await appendAuditEvent(tx, { actor, action: "user-created", subjectType: "user", subjectId: user.id, data: { email: user.email, role: user.role } });
    return user;
  });
}

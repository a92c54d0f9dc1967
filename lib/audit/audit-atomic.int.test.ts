// An audit event is written in the same transaction as the change it records: when the event
// cannot be written, the change does not happen either, and concurrent writers still make one
// unbroken chain.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestEnv, type TestEnv } from "@/lib/testing/test-env";
import { SYSTEM_ACTOR } from "@/lib/audit/append-audit-event";
import { verifyAuditChain } from "@/lib/audit/verify-audit-chain";
import { replaceReleaseCatalog } from "@/lib/plans/edit-release-catalog";
import { loadReleaseCatalog } from "@/lib/plans/release-catalog";
import { createUser } from "@/lib/auth/create-user";
import { updateUser } from "@/lib/auth/manage-users";
import { DEFAULT_RELEASE_CATALOG } from "@/lib/domain/release-catalog";

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv("audit_atomic");
  // Stands in for any failure of the audit write (disk full, a lost connection, a bug): the trail
  // refuses events whose action is "refuse-me" or whose actor is named "audit-breaker".
  await env.db.$executeRawUnsafe(`CREATE FUNCTION refuse_audit() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'audit write refused'; END $$ LANGUAGE plpgsql`);
  await env.db.$executeRawUnsafe(`CREATE TRIGGER refuse_audit BEFORE INSERT ON "AuditEvent" FOR EACH ROW WHEN (NEW."actorName" = 'audit-breaker') EXECUTE FUNCTION refuse_audit()`);
});
afterAll(async () => env?.cleanup());

const breaker = { type: "user" as const, id: null, name: "audit-breaker" };

function catalogWith212As(type: "lts" | "feature") {
  const edited = structuredClone(DEFAULT_RELEASE_CATALOG);
  edited.releases.find((r) => r.version === "2.12")!.type = type;
  return edited;
}

describe("audit in the same transaction as the change", () => {
  it("keeps the catalog in force when the audit event cannot be written", async () => {
    await expect(replaceReleaseCatalog(env.db, breaker, catalogWith212As("lts"))).rejects.toThrow(/audit write refused/);
    expect(await loadReleaseCatalog(env.db)).toEqual(DEFAULT_RELEASE_CATALOG);
    expect(await env.db.releaseCatalog.count()).toBe(0);
  });

  it("creates no user when the audit event cannot be written", async () => {
    await expect(createUser(env.db, breaker, { email: "ghost@example.test", name: "Ghost", password: "a long password 1", role: "admin" })).rejects.toThrow(/audit write refused/);
    expect(await env.db.user.count({ where: { email: "ghost@example.test" } })).toBe(0);
  });

  it("leaves a role unchanged when its audit event cannot be written", async () => {
    const admin = await createUser(env.db, SYSTEM_ACTOR, { email: "first@example.test", name: "First", password: "a long password 1", role: "admin" });
    const viewer = await createUser(env.db, SYSTEM_ACTOR, { email: "viewer@example.test", name: "Viewer", password: "a long password 2", role: "viewer" });
    await expect(updateUser(env.db, { ...breaker, id: admin.id }, viewer.id, { role: "operator" })).rejects.toThrow(/audit write refused/);
    expect((await env.db.user.findUniqueOrThrow({ where: { id: viewer.id } })).role).toBe("viewer");
    await updateUser(env.db, { type: "user", id: admin.id, name: admin.email }, viewer.id, { role: "operator" });
    expect((await env.db.user.findUniqueOrThrow({ where: { id: viewer.id } })).role).toBe("operator");
    expect(await env.db.auditEvent.count({ where: { action: "user-role-changed", subjectId: viewer.id } })).toBe(1);
  });

  it("chains twenty concurrent changes into one unbroken trail, one event per change", async () => {
    const before = await env.db.auditEvent.count();
    await Promise.all(Array.from({ length: 20 }, (_, i) => replaceReleaseCatalog(env.db, { type: "user", id: null, name: `editor-${i}` }, catalogWith212As(i % 2 ? "lts" : "feature"))));
    expect(await env.db.auditEvent.count()).toBe(before + 20);
    expect(await env.db.auditEvent.count({ where: { action: "release-catalog-edited" } })).toBe(20);
    expect(await verifyAuditChain(env.db)).toMatchObject({ ok: true, rows: before + 20 });
  });
});

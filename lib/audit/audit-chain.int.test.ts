// The audit trail is append-only and hash-chained: editing or deleting a row in the database is
// detected and named; exports carry every row and cannot smuggle a spreadsheet formula.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestEnv, type TestEnv } from "@/lib/testing/test-env";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import { verifyAuditChain } from "@/lib/audit/verify-audit-chain";
import { auditToCsv, queryAudit } from "@/lib/audit/query-audit";

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv("audit");
  for (let i = 0; i < 5; i++) {
    await appendAuditEvent(env.db, { actor: { type: "user", id: null, name: i === 2 ? "=cmd|' /C calc'!A0" : `user${i}@x` }, action: "plan-created", subjectType: "plan", subjectId: `p${i}`, data: { zeta: i, alpha: { b: 2, a: 1 } } });
  }
});
afterAll(async () => env?.cleanup());

describe("audit trail", () => {
  it("verifies an untouched chain, whatever order jsonb keeps the keys in", async () => {
    expect(await verifyAuditChain(env.db)).toMatchObject({ ok: true, rows: 5 });
  });

  it("exports CSV with formulas neutralised and JSON with every field, filtered by actor", async () => {
    const rows = await queryAudit(env.db, { limit: 100, actor: "calc" });
    expect(rows).toHaveLength(1);
    const csv = auditToCsv(await queryAudit(env.db, { limit: 100 }));
    expect(csv.split("\n")[0]).toBe("id,at,actorType,actorName,action,subjectType,subjectId,data,hash");
    expect(csv).toContain(`"'=cmd|' /C calc'!A0"`);
    expect(csv.trim().split("\n")).toHaveLength(6);
  });

  it("names the row that was edited in the database", async () => {
    const third = (await env.db.auditEvent.findMany({ orderBy: { id: "asc" } }))[2]!;
    await env.db.$executeRaw`UPDATE "AuditEvent" SET "actorName" = 'someone-else' WHERE id = ${third.id}`;
    const report = await verifyAuditChain(env.db);
    expect(report).toMatchObject({ ok: false, brokenAtId: String(third.id) });
    expect(report.ok ? "" : report.reason).toMatch(/edited after it was written/);
    await env.db.$executeRaw`UPDATE "AuditEvent" SET "actorName" = ${third.actorName} WHERE id = ${third.id}`;
    expect(await verifyAuditChain(env.db)).toMatchObject({ ok: true });
  });

  it("notices a deleted row at the row after it", async () => {
    const rows = await env.db.auditEvent.findMany({ orderBy: { id: "asc" } });
    await env.db.$executeRaw`DELETE FROM "AuditEvent" WHERE id = ${rows[0]!.id}`;
    expect(await verifyAuditChain(env.db)).toMatchObject({ ok: false, brokenAtId: String(rows[1]!.id) });
  });
});

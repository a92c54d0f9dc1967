// Sign-in: scrypt hashes, sessions stored by token hash, disabled users refused, attempts limited.
import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestEnv, type TestEnv } from "@/lib/testing/test-env";
import { createUser } from "@/lib/auth/create-user";
import { readSession, signIn } from "@/lib/auth/sessions";
import { SIGN_IN_LIMIT } from "@/lib/auth/sign-in-limit";
import { SYSTEM_ACTOR } from "@/lib/audit/append-audit-event";

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv("signin");
  await createUser(env.db, SYSTEM_ACTOR, { email: "op@test.local", name: "Op", password: "correct horse battery", role: "operator" });
});
afterAll(async () => env?.cleanup());

describe("sign-in", () => {
  it("stores only the hash of the session token and never the password", async () => {
    const { token, user } = await signIn(env.db, "op@test.local", "correct horse battery", "10.0.0.1");
    expect(user.role).toBe("operator");
    expect(await env.db.session.findUnique({ where: { id: token } })).toBeNull();
    expect(await env.db.session.findUnique({ where: { id: crypto.createHash("sha256").update(token).digest("hex") } })).not.toBeNull();
    expect((await readSession(env.db, token))?.email).toBe("op@test.local");
    const row = await env.db.user.findUniqueOrThrow({ where: { email: "op@test.local" } });
    expect(row.passwordHash).toMatch(/^scrypt\$/);
    expect(row.passwordHash).not.toContain("correct horse");
  });

  it("refuses further attempts after too many failures, even with the right password", async () => {
    const address = `198.51.100.${crypto.randomInt(1, 250)}`;
    for (let i = 0; i < SIGN_IN_LIMIT.failures; i++) await expect(signIn(env.db, "op@test.local", "wrong", address)).rejects.toThrow(/wrong/);
    await expect(signIn(env.db, "op@test.local", "correct horse battery", address)).rejects.toMatchObject({ code: "rate-limited", message: expect.stringMatching(/try again in \d+ minute/) });
    expect(await env.db.auditEvent.count({ where: { action: "sign-in-refused" } })).toBe(SIGN_IN_LIMIT.failures);
  });

  it("refuses a disabled user and drops their session at once", async () => {
    const { token } = await signIn(env.db, "op@test.local", "correct horse battery", "10.0.0.2");
    expect(await readSession(env.db, token)).not.toBeNull();
    await env.db.user.update({ where: { email: "op@test.local" }, data: { disabled: true } });
    expect(await readSession(env.db, token)).toBeNull();
    await expect(signIn(env.db, "op@test.local", "correct horse battery", "10.0.0.3")).rejects.toThrow(/disabled/);
  });
});

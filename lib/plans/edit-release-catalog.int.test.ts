// The release catalog is data an admin edits; a bad catalog is refused whole, a good one is used.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestEnv, type TestEnv } from "@/lib/testing/test-env";
import { SYSTEM_ACTOR } from "@/lib/audit/append-audit-event";
import { replaceReleaseCatalog } from "@/lib/plans/edit-release-catalog";
import { loadReleaseCatalog } from "@/lib/plans/release-catalog";
import { DEFAULT_RELEASE_CATALOG } from "@/lib/domain/release-catalog";

let env: TestEnv;
beforeAll(async () => { env = await createTestEnv("catalog"); });
afterAll(async () => env?.cleanup());

describe("release catalog editing", () => {
  it("[U2] refuses a catalog that does not validate, naming what is wrong, and keeps the one in force", async () => {
    await expect(replaceReleaseCatalog(env.db, SYSTEM_ACTOR, { releases: [{ version: "two", type: "lts" }] })).rejects.toThrow(/Catalog refused/);
    expect(await loadReleaseCatalog(env.db)).toEqual(DEFAULT_RELEASE_CATALOG);
  });

  it("uses an edited catalog and audits the change", async () => {
    const edited = structuredClone(DEFAULT_RELEASE_CATALOG);
    const r212 = edited.releases.find((r) => r.version === "2.12")!;
    r212.type = "lts";
    await replaceReleaseCatalog(env.db, SYSTEM_ACTOR, edited);
    expect((await loadReleaseCatalog(env.db)).releases.find((r) => r.version === "2.12")!.type).toBe("lts");
    expect(await env.db.auditEvent.count({ where: { action: "release-catalog-edited" } })).toBe(1);
  });
});

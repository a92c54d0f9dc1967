// An admin edits the release catalog as data (tested-from lists, LTS, disk rules) when new release
// notes appear. The whole catalog is validated before it replaces the one in force; audited.
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { appendAuditEvent, type Actor } from "@/lib/audit/append-audit-event";
import { validateCatalog } from "@/lib/domain/release-catalog";
import type { Prisma } from "@/lib/generated/prisma/client";
import { loadReleaseCatalog } from "@/lib/plans/release-catalog";

export async function replaceReleaseCatalog(db: Db, actor: Actor, input: unknown) {
  const checked = validateCatalog(input);
  if (!checked.ok) throw new AppError("bad-input", `Catalog refused: ${checked.message}`, { problems: checked.problems });
  const before = await loadReleaseCatalog(db);
  const data = JSON.parse(JSON.stringify(checked.catalog)) as Prisma.InputJsonValue;
  await db.$transaction(async (tx) => {
    await tx.releaseCatalog.upsert({ where: { id: 1 }, create: { id: 1, data, updatedBy: actor.name }, update: { data, updatedBy: actor.name } });
    await appendAuditEvent(tx, { actor, action: "release-catalog-edited", subjectType: "release-catalog", subjectId: "1", data: { before: before.releases.map((r) => r.version), after: checked.catalog.releases.map((r) => r.version) } });
  });
  return { catalog: checked.catalog, warnings: checked.warnings };
}

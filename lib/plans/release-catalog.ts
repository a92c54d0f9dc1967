// The release catalog in force: an admin's edited copy when there is one, else the default
// seeded from the appliance contract.
import type { Db } from "@/lib/db/client";
import { DEFAULT_RELEASE_CATALOG, validateCatalog, type ReleaseCatalog } from "@/lib/domain/release-catalog";

export async function loadReleaseCatalog(db: Db): Promise<ReleaseCatalog> {
  const row = await db.releaseCatalog.findUnique({ where: { id: 1 } });
  if (!row) return DEFAULT_RELEASE_CATALOG;
  const checked = validateCatalog(row.data);
  return checked.ok ? checked.catalog : DEFAULT_RELEASE_CATALOG;
}

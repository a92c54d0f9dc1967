// The ReleaseCatalog: what each release line's notes say about how to reach it. It is data an
// admin edits (new releases appear every few months), so it has a schema and a validator.

import { z } from "zod";
import { compareReleaseLines, releaseLineSchema } from "./release-line";
import { parseVersion } from "./version";
import { versionRangeSchema, type VersionRange } from "./version-range";

const bytesSchema = z.number().int().positive().max(2 ** 50);

/** Free space the target release asks for on `/`, besides the archive file itself [U7]. */
export const diskRuleSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("fixed"), bytes: bytesSchema }),
  z.object({ kind: z.literal("archive-multiple"), factor: z.number().positive().max(100) }),
  // A fixed amount on top of a multiple of the archive, for notes that state both.
  z.object({ kind: z.literal("fixed-plus"), bytes: bytesSchema, archiveFactor: z.number().positive().max(100) }),
]);
export type DiskRule = z.infer<typeof diskRuleSchema>;

export const releaseTypeSchema = z.enum(["lts", "feature", "legacy"]);
export type ReleaseType = z.infer<typeof releaseTypeSchema>;

export const releaseEntrySchema = z.object({
  version: releaseLineSchema,
  type: releaseTypeSchema,
  /** Starting versions the vendor tested an upgrade from [U2]. */
  testedFrom: z.array(versionRangeSchema),
  /** Starting versions from which this release may only be passed through, with `-o`, never kept. */
  passThroughFrom: z.array(versionRangeSchema).optional(),
  /** The whole release is only a stepping stone: every hop into it needs `-o`. */
  passThroughOnly: z.boolean().optional(),
  /** Starting versions the notes forbid (they would re-introduce fixed bugs); no override. */
  unsupportedFrom: z.array(versionRangeSchema).optional(),
  diskRule: diskRuleSchema,
  /** An internal database version change: hops from before `fromBefore` need `bytes` free. */
  databaseChange: z.object({ fromBefore: releaseLineSchema, bytes: bytesSchema }).optional(),
  /** The newest patch the admin knows of; needed to honour "tested from the latest patch of". */
  latestPatch: z.number().int().min(0).max(9999).optional(),
  /** Where an unclustered appliance on this line may be downgraded to [D2], e.g. "2.10.0". */
  downgradeTo: z.string().refine((s) => parseVersion(s) !== null, "downgradeTo must be a version like 2.10.0").optional(),
  /** Which patches of this line that downgrade starts from; absent means any patch. */
  downgradeFrom: z.array(versionRangeSchema).optional(),
  /** Starting versions the offline in-place method supports into this (LTS) release [F1]. */
  offlineFrom: z.array(versionRangeSchema).optional(),
  notes: z.string().max(4000).optional(),
});
export type ReleaseEntry = z.infer<typeof releaseEntrySchema>;

export const releaseCatalogSchema = z.object({ releases: z.array(releaseEntrySchema).min(1) });
export type ReleaseCatalog = z.infer<typeof releaseCatalogSchema>;

/** The seed's table: skipping versions offline is "available for upgrade to 2.15 or later" [M2]. */
export const OFFLINE_SKIP_FROM_LINE = "2.15";
/** The release model starts LTS/feature designations at 2.11 [C]. */
export const FIRST_DESIGNATED_LINE = "2.11";

export function findRelease(catalog: ReleaseCatalog, line: string): ReleaseEntry | undefined {
  return catalog.releases.find((r) => r.version === line);
}

export function sortedLines(catalog: ReleaseCatalog): string[] {
  return catalog.releases.map((r) => r.version).sort(compareReleaseLines);
}

/** The catalog line just before `line`, whether or not `line` itself is in the catalog. */
export function previousLine(catalog: ReleaseCatalog, line: string): string | undefined {
  return sortedLines(catalog).filter((l) => compareReleaseLines(l, line) < 0).pop();
}

export function latestPatchOf(catalog: ReleaseCatalog, line: string): number | undefined {
  return findRelease(catalog, line)?.latestPatch;
}

export function allRangesOf(entry: ReleaseEntry): VersionRange[] {
  return [...entry.testedFrom, ...(entry.passThroughFrom ?? []), ...(entry.unsupportedFrom ?? []), ...(entry.offlineFrom ?? [])];
}

export interface CatalogProblem {
  severity: "error" | "warning";
  path: string;
  message: string;
}
export type CatalogValidation =
  | { ok: true; catalog: ReleaseCatalog; warnings: CatalogProblem[] }
  | { ok: false; problems: CatalogProblem[]; message: string };

/** Schema first, then the rules the schema cannot express. Returns the catalog sorted by line. */
export function validateCatalog(input: unknown): CatalogValidation {
  const parsed = releaseCatalogSchema.safeParse(input);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => ({ severity: "error" as const, path: i.path.join("."), message: i.message }));
    return { ok: false, problems, message: `The release catalog is malformed: ${problems[0]?.message ?? "unknown problem"}.` };
  }
  const catalog = { releases: [...parsed.data.releases].sort((a, b) => compareReleaseLines(a.version, b.version)) };
  const problems = catalog.releases.flatMap((entry, i) => checkEntry(catalog, entry, `releases.${i}`));
  const errors = problems.filter((p) => p.severity === "error");
  if (errors.length > 0) {
    return { ok: false, problems, message: `The release catalog has ${errors.length} error(s); first: ${errors[0]?.message}` };
  }
  return { ok: true, catalog, warnings: problems };
}

function checkEntry(catalog: ReleaseCatalog, entry: ReleaseEntry, path: string): CatalogProblem[] {
  const out: CatalogProblem[] = [];
  const err = (message: string) => out.push({ severity: "error", path, message });
  const line = entry.version;
  if (catalog.releases.filter((r) => r.version === line).length > 1) err(`${line} appears more than once.`);
  const designated = compareReleaseLines(line, FIRST_DESIGNATED_LINE) >= 0;
  if (designated === (entry.type === "legacy")) {
    err(`${line} is typed "${entry.type}", but only releases before ${FIRST_DESIGNATED_LINE} are legacy.`);
  }
  for (const range of allRangesOf(entry)) {
    if (compareReleaseLines(range.line, line) > 0) err(`${line} cannot be reached from the newer ${range.line}.`);
    if (range.kind === "latest-patch" && latestPatchOf(catalog, range.line) === undefined) {
      out.push({ severity: "warning", path, message: `${line} names the latest ${range.line} patch, but the catalog does not say which it is; set latestPatch on ${range.line}.` });
    }
  }
  const offline = entry.offlineFrom ?? [];
  if (offline.length > 0 && entry.type !== "lts") err(`${line} is not an LTS release, so it cannot list offline paths [F1].`);
  if (compareReleaseLines(line, OFFLINE_SKIP_FROM_LINE) < 0) {
    const previous = previousLine(catalog, line);
    for (const range of offline) {
      if (range.line !== line && range.line !== previous) {
        err(`Offline upgrades to ${line} cannot skip versions (only to ${OFFLINE_SKIP_FROM_LINE} or later) [M2]; ${range.line} is not the previous release.`);
      }
    }
  }
  if (entry.downgradeTo !== undefined) {
    const to = parseVersion(entry.downgradeTo);
    if (to && compareReleaseLines(`${to.major}.${to.minor}`, line) >= 0) err(`${line} cannot downgrade to ${entry.downgradeTo}, which is not older.`);
  }
  return out;
}

export { DEFAULT_RELEASE_CATALOG } from "./default-release-catalog";

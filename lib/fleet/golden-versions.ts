// Golden versions: the version a cluster or a standalone appliance should run, set on it, or for
// every target carrying a tag (a rule). The fleet view judges compliance against them
// (lib/domain/compliance.ts). Every change is audited with the before and after.
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { appendAuditEvent, type Actor } from "@/lib/audit/append-audit-event";
import { parseVersion } from "@/lib/domain/version";
import { TAG_PATTERN } from "@/lib/campaigns/campaign-input";

const GOLDEN_RULES_LOCK = 72_707_061;

const versionError = (input: unknown) => `"${String(input)}" is not a version: write a release like 2.11.0 or a build like 2.11.0+13003`;
export const GoldenVersionSchema = z.string({ error: "a version is text like 2.11.0+13003" }).trim().refine((v) => parseVersion(v) !== null, { error: (iss) => versionError(iss.input) });

export const SetGoldenVersionSchema = z.strictObject({
  /** null clears it: the target then follows the rules of its tags. */
  version: z.union([GoldenVersionSchema, z.null()], { error: "version is a version like 2.11.0+13003, or null to clear it" }),
}, { error: (iss) => (iss.code === "unrecognized_keys" ? `unknown field ${iss.keys.join(", ")}: send { "version": "2.11.0+13003" } or { "version": null }` : undefined) });

export const GoldenRulesSchema = z.strictObject({
  rules: z.array(z.strictObject({
    tag: z.string().trim().regex(TAG_PATTERN, { error: (iss) => `"${String(iss.input)}" is not a tag: write key=value, e.g. site=paris or env=production` }),
    version: GoldenVersionSchema,
  }), { error: "rules is a list of { tag, version }" }).max(200, "at most 200 rules").refine((rules) => new Set(rules.map((r) => r.tag)).size === rules.length, {
    error: (iss) => {
      const tags = (iss.input as { tag: string }[]).map((r) => r.tag);
      return `one rule per tag: ${[...new Set(tags.filter((t, i) => tags.indexOf(t) !== i))].join(", ")} appears twice`;
    },
  }),
});
export type GoldenRulesInput = z.input<typeof GoldenRulesSchema>;

function parse<T>(schema: z.ZodType<T>, input: unknown): T {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw new AppError("bad-input", parsed.error.issues.map((i) => i.message).join("; "));
  return parsed.data;
}

export async function setClusterGoldenVersion(db: Db, actor: Actor, id: string, input: unknown): Promise<{ id: string; name: string; goldenVersion: string | null }> {
  const { version } = parse(SetGoldenVersionSchema, input);
  return db.$transaction(async (tx) => {
    const before = await tx.cluster.findUnique({ where: { id }, select: { name: true, goldenVersion: true } });
    if (!before) throw new AppError("not-found", `No cluster ${id}: it may have been removed; reload the fleet.`);
    await tx.cluster.update({ where: { id }, data: { goldenVersion: version } });
    await appendAuditEvent(tx, { actor, action: "golden-version-set", subjectType: "cluster", subjectId: id, data: { name: before.name, before: before.goldenVersion, after: version } });
    return { id, name: before.name, goldenVersion: version };
  });
}

/** A standalone appliance only: a clustered node follows its cluster's golden version. */
export async function setApplianceGoldenVersion(db: Db, actor: Actor, id: string, input: unknown): Promise<{ id: string; name: string; goldenVersion: string | null }> {
  const { version } = parse(SetGoldenVersionSchema, input);
  return db.$transaction(async (tx) => {
    const before = await tx.appliance.findUnique({ where: { id }, select: { name: true, goldenVersion: true, cluster: { select: { name: true } } } });
    if (!before) throw new AppError("not-found", `No appliance ${id}: it may have been removed; reload the fleet.`);
    if (before.cluster) throw new AppError("conflict", `${before.name} is a node of cluster ${before.cluster.name}, and a node follows its cluster: set the golden version of cluster ${before.cluster.name} instead.`);
    await tx.appliance.update({ where: { id }, data: { goldenVersion: version } });
    await appendAuditEvent(tx, { actor, action: "golden-version-set", subjectType: "appliance", subjectId: id, data: { name: before.name, before: before.goldenVersion, after: version } });
    return { id, name: before.name, goldenVersion: version };
  });
}

export function listGoldenRules(db: Db) {
  return db.goldenVersionRule.findMany({ orderBy: { tag: "asc" }, select: { tag: true, version: true, setBy: true, createdAt: true } });
}

/** Replaces the whole set of rules; a rule whose version is unchanged keeps who set it and when. */
export async function setGoldenRules(db: Db, actor: Actor, input: GoldenRulesInput | unknown) {
  const { rules } = parse(GoldenRulesSchema, input);
  await db.$transaction(async (tx) => {
    // Two admins saving at once: one after the other, each replacing the whole set.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${GOLDEN_RULES_LOCK})`;
    const before = await tx.goldenVersionRule.findMany({ orderBy: { tag: "asc" }, select: { tag: true, version: true } });
    const kept = new Set(before.filter((b) => rules.some((r) => r.tag === b.tag && r.version === b.version)).map((b) => b.tag));
    await tx.goldenVersionRule.deleteMany({ where: { tag: { notIn: [...kept] } } });
    await tx.goldenVersionRule.createMany({ data: rules.filter((r) => !kept.has(r.tag)).map((r) => ({ ...r, setBy: actor.name })) });
    const after = [...rules].sort((a, b) => (a.tag < b.tag ? -1 : 1));
    await appendAuditEvent(tx, { actor, action: "golden-rules-changed", data: { before, after } });
  });
  return listGoldenRules(db);
}

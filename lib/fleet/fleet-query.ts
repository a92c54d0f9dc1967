// What the fleet view may be asked (GET /api/fleet's query string): validated whole, every refusal
// naming the parameter, what it got and what it takes.
import { z } from "zod";
import { COMPLIANCE_STATES } from "@/lib/domain/compliance";
import { parseReleaseLine } from "@/lib/domain/release-line";
import { parseVersion } from "@/lib/domain/version";
import { TAG_PATTERN } from "@/lib/campaigns/campaign-input";

export const FLEET_SORTS = ["name", "-name", "version", "-version", "last-contact", "-last-contact", "compliance"] as const;
export const FLEET_KINDS = ["cluster", "appliance"] as const;
export const NODE_STATUSES = ["ok", "unreachable", "trust-changed", "unknown"] as const;
export const MAX_PAGE_SIZE = 200;

const oneOf = <T extends readonly [string, ...string[]]>(values: T, what: string) =>
  z.enum(values, { error: (iss) => `${what} is one of ${values.join(", ")}, not "${String(iss.input)}"` });

// An empty parameter (a cleared filter in the page's URL) means no filter.
const optional = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === "" ? undefined : v), schema.optional());

const integer = (what: string, min: number, max: number, fallback: number) => z.preprocess(
  (v) => (v === undefined || v === "" ? fallback : /^\d+$/.test(String(v)) ? Number(v) : v),
  z.number({ error: (iss) => `${what} is a whole number from ${min} to ${max}, not "${String(iss.input)}"` })
    .int().min(min, `${what} is at least ${min}`).max(max, `${what} is at most ${max}: page through the rest`),
);

export const FleetQuerySchema = z.strictObject({
  /** A part of a name or host, any case: a cluster matches by its own name or any node's. */
  q: optional(z.string().trim().max(100, "q (search) is at most 100 characters")),
  compliance: optional(oneOf(COMPLIANCE_STATES, "compliance")),
  /** A release line (2.10), a release (2.10.0) or one build (2.10.0+12807): a row matches when any node runs it. */
  version: optional(z.string().trim().refine((v) => parseReleaseLine(v) !== null || parseVersion(v) !== null, {
    error: (iss) => `version is a release line like 2.10, a release like 2.10.0 or a build like 2.10.0+12807, not "${String(iss.input)}"`,
  })),
  /** key=value: a row carries it (a cluster: its own tags and those all its nodes share). */
  tag: optional(z.string().trim().regex(TAG_PATTERN, { error: (iss) => `tag is key=value, e.g. site=paris, not "${String(iss.input)}"` })),
  /** A row matches when any of its nodes has this status. */
  status: optional(oneOf(NODE_STATUSES, "status")),
  kind: optional(oneOf(FLEET_KINDS, "kind")),
  sort: z.preprocess((v) => (v === undefined || v === "" ? "name" : v), oneOf(FLEET_SORTS, "sort")),
  page: integer("page", 1, 1_000_000, 1),
  pageSize: integer("pageSize", 1, MAX_PAGE_SIZE, 50),
}, { error: (iss) => (iss.code === "unrecognized_keys" ? `Unknown parameter ${iss.keys.join(", ")}: the fleet view takes q, compliance, version, tag, status, kind, sort, page and pageSize.` : undefined) });

export type FleetQuery = z.output<typeof FleetQuerySchema>;
export type FleetQueryInput = z.input<typeof FleetQuerySchema>;

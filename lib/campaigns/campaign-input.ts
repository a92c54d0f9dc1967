// What an operator says when starting a fleet campaign, validated whole before anything is built:
// the selection of targets, the method policy, the waves (canary, sizing, concurrency, soak, brake,
// approvals, advance) and the ahead-of-time distribution of archives.
import { z } from "zod";
import { parseVersion } from "@/lib/domain/version";

/** "key=value": lowercase key, value without spaces or commas. site=paris, env=lab, owner=pki-team. */
export const TAG_PATTERN = /^[a-z][a-z0-9_-]{0,31}=[A-Za-z0-9._:/-]{1,64}$/;
export const TagSchema = z.string().trim().regex(TAG_PATTERN, "a tag is key=value, e.g. site=paris or env=lab (key: lowercase letters, digits, - or _)");
export const TagsSchema = z.array(TagSchema).max(32, "at most 32 tags").transform((tags) => [...new Set(tags)].sort());

export const CAMPAIGN_CLUSTER_METHODS = ["online-rolling", "offline-in-place", "remove-rebuild"] as const;

export const SelectionSchema = z.object({
  /** Every tag must be on the target (a cluster's tags count for its nodes). */
  tags: z.array(TagSchema).max(16).default([]),
  /** Any of: a release line ("2.10") or an exact version ("2.10.0+12807"). */
  versions: z.array(z.string().trim().regex(/^\d+\.\d+(\.\d+)?(\+\d+)?$/, "a version is a line like 2.10 or an exact version like 2.10.0+12807")).max(16).default([]),
  /** Any of these appliance models (k170v, k570, ...). */
  models: z.array(z.string().trim().min(1).max(64)).max(16).default([]),
  /** Any of these cluster or appliance names; `*` matches any run of characters. */
  names: z.array(z.string().trim().min(1).max(100)).max(200).default([]),
}).strict();
export type Selection = z.infer<typeof SelectionSchema>;

export const PolicySchema = z.object({
  /** Cluster methods in order of preference; the first one the path and the window allow is used. */
  clusterMethods: z.array(z.enum(CAMPAIGN_CLUSTER_METHODS)).min(1, "name at least one cluster method").default(["online-rolling"]),
  /** Offline in-place and remove/rebuild block clients: only used for a cluster whose plan has an approved window. */
  requireApprovedWindowForDowntime: z.literal(true).default(true),
}).strict();
export type CampaignPolicy = z.infer<typeof PolicySchema>;

export const WaveConfigSchema = z.object({
  canary: z.object({
    /** Canary targets: those with this tag, or these names, or else the first `size` targets. */
    tag: TagSchema.optional(),
    names: z.array(z.string().trim().min(1).max(100)).max(50).default([]),
    size: z.number().int().min(1).max(50).default(1),
  }).strict().default({ names: [], size: 1 }),
  /** After the canary: waves of `size` targets, or one wave per value of the tag key (e.g. site). */
  split: z.discriminatedUnion("by", [
    z.object({ by: z.literal("size"), size: z.number().int().min(1).max(10_000) }).strict(),
    z.object({ by: z.literal("tag"), key: z.string().regex(/^[a-z][a-z0-9_-]{0,31}$/, "a tag key, e.g. site") }).strict(),
  ]).default({ by: "size", size: 10 }),
  /** Targets upgrading at once inside a wave. */
  concurrency: z.number().int().min(1).max(100).default(5),
  /** Upgraded targets must stay healthy this long before the next wave starts. */
  soakSeconds: z.number().int().min(0).max(7 * 86_400).default(600),
  /** Halts the campaign (nothing new starts) when a wave has more than maxFailures failures or more than maxFailurePercent % of it failed. Any canary failure halts it. */
  brake: z.object({
    maxFailures: z.number().int().min(0).max(10_000).default(0),
    maxFailurePercent: z.number().min(0).max(100).default(10),
  }).strict().default({ maxFailures: 0, maxFailurePercent: 10 }),
  /** An approver must approve each wave before it starts. */
  approvalBeforeEachWave: z.boolean().default(false),
  /** Start the next wave when the soak ends; otherwise an operator advances it. */
  autoAdvance: z.boolean().default(true),
}).strict();
export type WaveConfig = z.infer<typeof WaveConfigSchema>;

export const DistributionSchema = z.object({
  /** Copy the archives to every target's nodes as soon as the campaign launches, before its wave. */
  enabled: z.boolean().default(true),
  /** Uploads running at once across the whole fleet. */
  maxConcurrentUploads: z.number().int().min(1).max(100).default(4),
  /** Bytes per second all uploads to one site may use together (null: no limit). Targets without a site tag share the "(no site)" budget. */
  siteBandwidthBytesPerSecond: z.number().int().min(64 * 1024).nullable().default(null),
}).strict();
export type DistributionConfig = z.infer<typeof DistributionSchema>;

export const CreateCampaignSchema = z.object({
  name: z.string().trim().min(1).max(100),
  targetVersion: z.string().trim().refine((v) => parseVersion(v) !== null, "targetVersion must look like 2.11.0+13099"),
  selection: SelectionSchema,
  policy: PolicySchema.default({ clusterMethods: ["online-rolling"], requireApprovedWindowForDowntime: true }),
  waves: WaveConfigSchema.default(WaveConfigSchema.parse({})),
  distribution: DistributionSchema.default(DistributionSchema.parse({})),
}).strict();
export type CreateCampaignInput = z.infer<typeof CreateCampaignSchema>;

/** The site of a target: the value of its site= tag. */
export function siteOf(tags: readonly string[]): string | null {
  const tag = tags.find((t) => t.startsWith("site="));
  return tag ? tag.slice("site=".length) : null;
}

// The shapes the console relies on in REST answers (appliance-contract.md). Loose objects: an
// appliance may add fields; only what we read is checked.
import { z } from "zod";

export const SystemInfoSchema = z.looseObject({
  name: z.string(),
  version: z.string(),
  model: z.string().optional().default(""),
  version_suffix: z.string().optional(),
  vendor: z.string().optional(),
  crypto_version: z.string().optional(),
  uptime: z.unknown().optional(),
  system_time: z.string().optional(),
});
export type SystemInfo = z.infer<typeof SystemInfoSchema>;

export const ServiceStatusSchema = z.looseObject({ name: z.string(), status: z.string() });
export type ServiceStatus = z.infer<typeof ServiceStatusSchema>;
export const ServicesStatusSchema = z.looseObject({ services: z.array(ServiceStatusSchema) });

const NodeStatusSchema = z.looseObject({ code: z.string(), description: z.string().optional().default("") });

export const ClusterInfoSchema = z.looseObject({
  nodeID: z.string().optional().default(""),
  status: NodeStatusSchema,
  nodeCount: z.number().optional(),
});
export type ClusterInfo = z.infer<typeof ClusterInfoSchema>;

export const ClusterNodeSchema = z.looseObject({
  nodeID: z.string(),
  status: NodeStatusSchema,
  host: z.string().optional(),
  port: z.number().optional(),
  isThisNode: z.boolean().optional(),
  publicAddress: z.string().optional(),
});
export type ClusterNode = z.infer<typeof ClusterNodeSchema>;

/** [I] GET /v1/cluster/summary: its shape is not public; only the members and their versions are read. */
export const ClusterSummarySchema = z.looseObject({
  nodeCount: z.number().optional(),
  status: NodeStatusSchema.optional(),
  versions: z.array(z.string()).optional().default([]),
  nodes: z.array(ClusterNodeSchema.extend({ version: z.string().optional() })).optional().default([]),
});
export type ClusterSummary = z.infer<typeof ClusterSummarySchema>;

/** POST /v1/cluster/csr on the joining node [T]. */
export const ClusterCsrSchema = z.looseObject({ csr: z.string().min(1) });

/** POST /v1/nodes on a member: what the joining node needs to join [T]. */
export const JoinGrantSchema = z.looseObject({ cert: z.string().min(1), cachain: z.string().min(1), mkek_blob: z.string().min(1) });
export type JoinGrant = z.infer<typeof JoinGrantSchema>;

export const BackupSchema = z.looseObject({
  id: z.string(),
  status: z.string().optional().default(""),
  scope: z.string().optional(),
  createdAt: z.string().optional(),
  description: z.string().optional(),
  backupKey: z.string().optional(),
});
export type Backup = z.infer<typeof BackupSchema>;

export const BackupKeySchema = z.looseObject({ id: z.string() });
export type BackupKey = z.infer<typeof BackupKeySchema>;

export const PropertySchema = z.looseObject({ name: z.string().optional(), value: z.string() });
export type Property = z.infer<typeof PropertySchema>;

export function listSchema<T>(item: z.ZodType<T>) {
  return z.looseObject({
    skip: z.number().optional(),
    limit: z.number().optional(),
    total: z.number().optional(),
    resources: z.array(item).nullable().transform((r) => r ?? []),
  });
}

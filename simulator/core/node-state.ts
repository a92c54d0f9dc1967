// What one appliance keeps on its own disk across reboots: firmware version, a staged
// upgrade or downgrade waiting for the reboot, and its backup files. Cluster-wide data
// (backup keys, properties) lives in the DataStore instead, so a cluster can share it later.
import crypto from "node:crypto";
import path from "node:path";
import { z } from "zod";
import { JsonFile } from "./json-file";

export const BackupSchema = z.object({
  id: z.string(),
  scope: z.string(),
  status: z.enum(["in_progress", "completed", "failed"]),
  createdAt: z.string(),
  updatedAt: z.string(),
  description: z.string(),
  backupKey: z.string(),
  /** Firmware version that made the backup: a newer backup never restores onto an older one. */
  version: z.string(),
  size: z.number().int().nonnegative(),
  tiedToHSM: z.boolean(),
});
export type Backup = z.infer<typeof BackupSchema>;

export const StagedChangeSchema = z.object({
  kind: z.enum(["upgrade", "downgrade"]),
  version: z.string(),
  archive: z.string(),
});
export type StagedChange = z.infer<typeof StagedChangeSchema>;

export const NodeStateSchema = z.object({
  schema: z.literal(1),
  /** The configured version this state started from; a different configured version starts fresh. */
  initialVersion: z.string(),
  version: z.string(),
  staged: StagedChangeSchema.nullable(),
  /** Set when the node was rebooted mid-upgrade: keysecure fails at every boot until reset. */
  broken: z.string().nullable(),
  jwtSecret: z.string(),
  backups: z.array(BackupSchema),
});
export type NodeState = z.infer<typeof NodeStateSchema>;

export function freshNodeState(version: string): NodeState {
  return {
    schema: 1,
    initialVersion: version,
    version,
    staged: null,
    broken: null,
    jwtSecret: crypto.randomBytes(32).toString("base64url"),
    backups: [],
  };
}

/** Loads the node's state, starting fresh when absent or made for another configured version. */
export function loadNodeState(stateDir: string, configuredVersion: string): { file: JsonFile<typeof NodeStateSchema>; state: NodeState } {
  const file = new JsonFile(path.join(stateDir, "node-state.json"), NodeStateSchema);
  const stored = file.load();
  const state = stored && stored.initialVersion === configuredVersion ? stored : freshNodeState(configuredVersion);
  file.save(state);
  return { file, state };
}

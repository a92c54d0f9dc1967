// The appliance's database: configuration properties and backup keys. Kept apart from the
// node's own state: a standalone node keeps it in its stateDir, a cluster shares one in memory.
import crypto from "node:crypto";
import { z } from "zod";
import { JsonFile } from "./json-file";

export const BackupKeySchema = z.object({
  id: z.string(),
  name: z.string(),
  createdAt: z.string(),
  /** Raw key bytes, base64. */
  material: z.string(),
  default: z.boolean(),
});
export type BackupKey = z.infer<typeof BackupKeySchema>;

export const DatabaseSchema = z.object({
  properties: z.record(z.string(), z.string()),
  backupKeys: z.array(BackupKeySchema),
});
export type Database = z.infer<typeof DatabaseSchema>;

export const DEFAULT_PROPERTIES: Readonly<Record<string, string>> = { ENABLE_RECORDS_DB_STORE: "false" };

export function newBackupKey(name: string, isDefault: boolean): BackupKey {
  return {
    id: crypto.randomUUID(),
    name,
    createdAt: new Date().toISOString(),
    material: crypto.randomBytes(32).toString("base64"),
    default: isDefault,
  };
}

function freshDatabase(): Database {
  return { properties: { ...DEFAULT_PROPERTIES }, backupKeys: [newBackupKey("default_backup_key", true)] };
}

export class DataStore {
  private readonly file: JsonFile<typeof DatabaseSchema> | null;
  private db: Database;

  /** `null`: kept in memory only (a cluster's shared database lives as long as the simulator). */
  constructor(filePath: string | null, initial?: Database) {
    this.file = filePath ? new JsonFile(filePath, DatabaseSchema) : null;
    this.db = initial ? structuredClone(initial) : (this.file?.load() ?? freshDatabase());
    this.file?.save(this.db);
  }

  /** A deep copy: what a joining node receives, a leaving node keeps, a backup holds. */
  snapshot(): Database {
    return structuredClone(this.db);
  }

  replaceWith(db: Database): void {
    this.db = structuredClone(db);
    this.file?.save(this.db);
  }

  getProperty(name: string): string | undefined {
    return this.db.properties[name];
  }

  setProperty(name: string, value: string): void {
    this.db.properties[name] = value;
    this.file?.save(this.db);
  }

  backupKeys(): BackupKey[] {
    return [...this.db.backupKeys];
  }

  addBackupKey(key: BackupKey): void {
    this.db.backupKeys.push(key);
    this.file?.save(this.db);
  }

  /** A downgrade or reset wipes everything: new default key, default properties. */
  wipe(): void {
    this.db = freshDatabase();
    this.file?.save(this.db);
  }
}

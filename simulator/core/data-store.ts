// The appliance's database: configuration properties and backup keys. Kept apart from the
// node's own state so that a cluster (a later issue) can hand several nodes one shared store.
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

const DatabaseSchema = z.object({
  properties: z.record(z.string(), z.string()),
  backupKeys: z.array(BackupKeySchema),
});
type Database = z.infer<typeof DatabaseSchema>;

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
  private readonly file: JsonFile<typeof DatabaseSchema>;
  private db: Database;

  constructor(filePath: string) {
    this.file = new JsonFile(filePath, DatabaseSchema);
    this.db = this.file.load() ?? freshDatabase();
    this.file.save(this.db);
  }

  getProperty(name: string): string | undefined {
    return this.db.properties[name];
  }

  setProperty(name: string, value: string): void {
    this.db.properties[name] = value;
    this.file.save(this.db);
  }

  backupKeys(): BackupKey[] {
    return [...this.db.backupKeys];
  }

  addBackupKey(key: BackupKey): void {
    this.db.backupKeys.push(key);
    this.file.save(this.db);
  }

  /** A downgrade or reset wipes everything: new default key, default properties. */
  wipe(): void {
    this.db = freshDatabase();
    this.file.save(this.db);
  }
}

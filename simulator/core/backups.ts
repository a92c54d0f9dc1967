// Backups and backup keys as the appliance makes them. A backup file is a few KB of
// deterministic bytes that name the firmware that made it (a newer backup never restores onto
// an older version [U5]); it lives in the stateDir and survives reboots and downgrades [D3].
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { compareVersions, parseVersion } from "@/lib/domain/version";
import type { ApplianceNode } from "./appliance-node";
import { DatabaseSchema, type BackupKey } from "./data-store";
import type { Backup } from "./node-state";
import { refuse, type Outcome } from "./outcome";

const FILLER_BYTES = 4096;

export function findBackupKey(node: ApplianceNode, idOrName: string | undefined): BackupKey | undefined {
  const keys = node.data.backupKeys();
  if (idOrName === undefined) return keys.find((k) => k.default) ?? keys[0];
  return keys.find((k) => k.id === idOrName || k.name === idOrName);
}

export function startBackup(node: ApplianceNode, input: { scope: string; description: string; key: BackupKey }): Backup {
  const now = new Date().toISOString();
  const backup: Backup = {
    id: crypto.randomUUID(), scope: input.scope, status: "in_progress", createdAt: now, updatedAt: now,
    description: input.description, backupKey: input.key.id, version: node.state.version, size: 0, tiedToHSM: false,
  };
  node.state.backups.push(backup);
  node.saveState();
  const gen = node.generation;
  const content = node.data.snapshot();
  node.scheduler.after(node.config.backupSeconds, () => {
    // A reboot or reset in between leaves it failed (power.ts marks it at boot).
    if (node.generation !== gen) return;
    const bytes = backupContent(node.config.name, backup);
    fs.writeFileSync(backupFile(node, backup.id), bytes);
    // What a restore brings back, next to the backup file (so it survives what the file survives).
    fs.writeFileSync(`${backupFile(node, backup.id)}.db.json`, JSON.stringify(content));
    backup.status = "completed";
    backup.size = bytes.length;
    backup.updatedAt = new Date().toISOString();
    node.saveState();
  });
  return backup;
}

/**
 * [I] POST /v1/backups/{id}/restore: the database comes back as the backup holds it, and keysecure
 * restarts. A backup made on a newer version is never restored onto an older one [U5].
 */
export function restoreBackup(node: ApplianceNode, id: string): Outcome<{ backup: Backup }> {
  const backup = node.state.backups.find((b) => b.id === id);
  if (!backup) return refuse(404, "Resource not found");
  if (backup.status !== "completed") return refuse(409, `backup ${id} is ${backup.status}; only a completed backup can be restored`);
  const made = parseVersion(backup.version);
  const running = parseVersion(node.state.version);
  if (!made || !running || compareVersions(made, running) > 0) {
    return refuse(409, `backup ${id} was made on ${backup.version}, newer than the running ${node.state.version}: restoring a newer backup onto an older version is not supported`);
  }
  if (node.firmwareJob) return refuse(409, `a firmware ${node.firmwareJob.kind} is running`);
  let content: unknown = null;
  try {
    content = JSON.parse(fs.readFileSync(`${backupFile(node, id)}.db.json`, "utf8"));
  } catch {
    return refuse(409, `backup ${id} cannot be read`);
  }
  node.data.replaceWith(DatabaseSchema.parse(content));
  node.record.add("event", `backup ${id} (${backup.version}) restored`);
  restartKeysecure(node);
  return { ok: true, backup };
}

function restartKeysecure(node: ApplianceNode): void {
  const gen = node.generation;
  node.services.set("keysecure", "starting");
  node.changed();
  node.scheduler.after(node.config.serviceStartSeconds / 3, () => {
    if (node.generation !== gen) return;
    node.services.set("keysecure", "started");
    node.changed();
  });
}

export function backupFile(node: ApplianceNode, id: string): string {
  return path.join(node.backupsDir, `${id.replace(/[^A-Za-z0-9-]/g, "")}.cmbak`);
}

export function backupContent(applianceName: string, b: Backup): Buffer {
  const header = [
    "CipherTrust Manager backup v1",
    `appliance: ${applianceName}`,
    `version: ${b.version}`,
    `scope: ${b.scope}`,
    `id: ${b.id}`,
    `createdAt: ${b.createdAt}`,
    `backupKey: ${b.backupKey}`,
    "",
  ].join("\n");
  const filler: Buffer[] = [];
  for (let i = 0; filler.length * 32 < FILLER_BYTES; i++) {
    filler.push(crypto.createHash("sha256").update(`${b.id}|${b.version}|${i}`).digest());
  }
  return Buffer.concat([Buffer.from(header, "utf8"), ...filler]);
}

/** The key as a file an operator keeps: the raw key sealed with their password (scrypt + AES-GCM). */
export function sealBackupKey(key: BackupKey, password: string): Buffer {
  const salt = crypto.randomBytes(16);
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv("aes-256-gcm", crypto.scryptSync(password, salt, 32), iv);
  const data = Buffer.concat([cipher.update(Buffer.from(key.material, "base64")), cipher.final()]);
  const sealed = { id: key.id, name: key.name, kdf: "scrypt", cipher: "aes-256-gcm", salt: b64(salt), iv: b64(iv), tag: b64(cipher.getAuthTag()), data: b64(data) };
  const body = Buffer.from(JSON.stringify(sealed)).toString("base64").replace(/(.{64})/g, "$1\n");
  return Buffer.from(`-----BEGIN CM BACKUP KEY-----\n${body.trimEnd()}\n-----END CM BACKUP KEY-----\n`);
}

/** Opens a sealed key with its password (tests prove the download is the key). */
export function unsealBackupKey(file: Buffer, password: string): Buffer {
  const body = file.toString("utf8").replace(/-----[A-Z ]+-----/g, "").replace(/\s+/g, "");
  const s = JSON.parse(Buffer.from(body, "base64").toString("utf8")) as Record<string, string>;
  const decipher = crypto.createDecipheriv("aes-256-gcm", crypto.scryptSync(password, Buffer.from(s.salt ?? "", "base64"), 32), Buffer.from(s.iv ?? "", "base64"));
  decipher.setAuthTag(Buffer.from(s.tag ?? "", "base64"));
  return Buffer.concat([decipher.update(Buffer.from(s.data ?? "", "base64")), decipher.final()]);
}

function b64(b: Buffer): string {
  return b.toString("base64");
}

// Backup keys: list, create, and download sealed with a password. A backup is only useful if
// its key left the appliance too (appliance-contract.md).
import { newBackupKey, type BackupKey } from "../../core/data-store";
import { sealBackupKey } from "../../core/backups";
import { errorReply, listReply, optionalString, readJsonBody } from "../http-io";
import type { Route } from "../router";

function resource(k: BackupKey) {
  return { id: k.id, name: k.name, createdAt: k.createdAt, updatedAt: k.createdAt, default: k.default, uri: `kylo:kylo:admin:backupkeys:${k.id}` };
}

export const backupKeyRoutes: Route[] = [
  {
    method: "GET",
    pattern: "/api/v1/backupkeys",
    needsKeysecure: true,
    handler: ({ node, query }) => listReply(node.data.backupKeys().map(resource), query),
  },
  {
    method: "POST",
    pattern: "/api/v1/backupkeys",
    needsKeysecure: true,
    async handler({ node, req }) {
      const body = await readJsonBody(req);
      const key = newBackupKey(optionalString(body, "name") ?? `backup_key_${Date.now()}`, false);
      node.data.addBackupKey(key);
      node.changed();
      return { status: 201, json: resource(key) };
    },
  },
  {
    method: "GET",
    pattern: "/api/v1/backupkeys/:id",
    needsKeysecure: true,
    handler({ node, params }) {
      const key = node.data.backupKeys().find((k) => k.id === params.id);
      return key ? { status: 200, json: resource(key) } : errorReply(404, "Resource not found");
    },
  },
  {
    method: "POST",
    pattern: "/api/v1/backupkeys/:id/download",
    needsKeysecure: true,
    async handler({ node, req, params }) {
      const body = await readJsonBody(req);
      const password = optionalString(body, "password");
      if (!password) return errorReply(400, "password is required to download a backup key");
      const key = node.data.backupKeys().find((k) => k.id === params.id);
      if (!key) return errorReply(404, "Resource not found");
      return { status: 200, bytes: sealBackupKey(key, password), contentType: "application/octet-stream", fileName: `backupkey-${key.id}.key` };
    },
  },
];

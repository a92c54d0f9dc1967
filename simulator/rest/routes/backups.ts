// Backups: create (completes after backupSeconds), list, read, download, restore [I], and backupStatus.
import fs from "node:fs";
import { backupFile, findBackupKey, restoreBackup, startBackup } from "../../core/backups";
import type { Backup } from "../../core/node-state";
import { errorReply, listReply, optionalString, readJsonBody, refusalReply } from "../http-io";
import type { Route } from "../router";

function resource(b: Backup) {
  return { ...b, uri: `kylo:kylo:admin:backups:${b.id}`, account: "kylo:kylo:admin:accounts:kylo" };
}

function newestFirst(backups: Backup[]): Backup[] {
  return [...backups].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

export const backupRoutes: Route[] = [
  {
    method: "POST",
    pattern: "/api/v1/backups",
    needsKeysecure: true,
    async handler({ node, req }) {
      const body = await readJsonBody(req);
      const scope = optionalString(body, "scope") ?? "system";
      if (scope !== "system" && scope !== "domain") return errorReply(400, `scope must be system or domain, not ${scope}`);
      const key = findBackupKey(node, optionalString(body, "backupKey"));
      if (!key) return errorReply(404, "backup key not found");
      return { status: 201, json: resource(startBackup(node, { scope, description: optionalString(body, "description") ?? "", key })) };
    },
  },
  {
    method: "GET",
    pattern: "/api/v1/backups",
    needsKeysecure: true,
    handler: ({ node, query }) => listReply(newestFirst(node.state.backups).map(resource), query),
  },
  {
    method: "GET",
    pattern: "/api/v1/backups/:id",
    needsKeysecure: true,
    handler({ node, params }) {
      const b = node.state.backups.find((x) => x.id === params.id);
      return b ? { status: 200, json: resource(b) } : errorReply(404, "Resource not found");
    },
  },
  {
    method: "GET",
    pattern: "/api/v1/backups/:id/download",
    needsKeysecure: true,
    handler({ node, params }) {
      const b = node.state.backups.find((x) => x.id === params.id);
      if (!b) return errorReply(404, "Resource not found");
      if (b.status !== "completed") return errorReply(409, `backup ${b.id} is ${b.status}; only a completed backup can be downloaded`);
      const file = backupFile(node, b.id);
      if (!fs.existsSync(file)) return errorReply(404, "backup file not found");
      return { status: 200, bytes: fs.readFileSync(file), contentType: "application/octet-stream", fileName: `backup-${b.id}.cmbak` };
    },
  },
  {
    // [I] The route is our guess; the console keeps it in one replaceable place.
    method: "POST",
    pattern: "/api/v1/backups/:id/restore",
    needsKeysecure: true,
    handler({ node, params }) {
      const restored = restoreBackup(node, params.id ?? "");
      return restored.ok ? { status: 202, json: { ...resource(restored.backup), operation: "restore" } } : refusalReply(restored);
    },
  },
  {
    method: "GET",
    pattern: "/api/v1/backupStatus",
    needsKeysecure: true,
    handler({ node }) {
      const last = newestFirst(node.state.backups)[0];
      if (!last) return { status: 200, json: { operation: "backup", status: "none" } };
      return { status: 200, json: { operation: "backup", status: last.status, id: last.id, createdAt: last.createdAt, updatedAt: last.updatedAt } };
    },
  },
];

// The API as the filesystem declares it: every app/api/**/route.ts and the HTTP methods it
// exports, read from the source so a new route cannot escape the role matrix (roles.spec.ts).
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { request, type APIRequestContext, type APIResponse } from "@playwright/test";

export const WRITE_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);
const EXPORTED = /export\s+(?:const|let|var|async\s+function|function)\s+(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)\b/g;
const EXPORT_LIST = /export\s*\{([^}]*)\}/g;
const METHOD_NAMES = new Set(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]);

/** "GET /api/plans/[id]" for each method of each route file, route groups "(x)" dropped. */
export function listApiRoutes(root: string): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name === "route.ts") {
        const urlPath = "/" + path.relative(path.join(root, "app"), dir).split(path.sep).filter((s) => !/^\(.*\)$/.test(s)).join("/");
        const source = fs.readFileSync(full, "utf8");
        const methods = new Set([...source.matchAll(EXPORTED)].map((m) => m[1]!));
        for (const list of source.matchAll(EXPORT_LIST)) {
          for (const name of list[1]!.split(",")) {
            const exported = name.split(/\s+as\s+/).pop()!.trim();
            if (METHOD_NAMES.has(exported)) methods.add(exported);
          }
        }
        for (const m of methods) found.push(`${m} ${urlPath}`);
      }
    }
  };
  walk(path.join(root, "app", "api"));
  return found.sort();
}

/** Every dynamic segment ([id], [key], [...rest]) becomes a fresh random UUID. */
export function fillParams(urlPath: string): string {
  return urlPath.replace(/\[[^\]]+\]/g, () => crypto.randomUUID());
}

/** A client of the console with same-origin requests, as the console's own pages send them. */
export async function newClient(baseURL: string): Promise<APIRequestContext> {
  return request.newContext({ baseURL, extraHTTPHeaders: { origin: baseURL } });
}

export async function signedInClient(baseURL: string, email: string, password: string): Promise<APIRequestContext> {
  const client = await newClient(baseURL);
  const res = await client.post("/api/auth/sign-in", { data: { email, password } });
  if (res.status() !== 200) throw new Error(`sign-in of ${email} answered ${res.status()}: ${await res.text()}`);
  return client;
}

/** Sends one request of the matrix: `{}` as the body of a write, never following redirects. */
export function send(client: APIRequestContext, method: string, url: string, headers?: Record<string, string>): Promise<APIResponse> {
  return client.fetch(url, { method, headers, data: WRITE_METHODS.has(method) ? {} : undefined, maxRedirects: 0, failOnStatusCode: false, timeout: 15_000 });
}

// A small table router: method + path pattern with :params, whether a bearer token is needed,
// and whether the route needs keysecure running (everything but identity and health does).
import type { IncomingMessage } from "node:http";
import type { ApplianceNode } from "../core/appliance-node";
import type { RestReply } from "./http-io";

export interface RouteContext {
  node: ApplianceNode;
  req: IncomingMessage;
  params: Record<string, string>;
  query: URLSearchParams;
  /** The authenticated user; null only on public routes. */
  user: string | null;
  /** Refresh tokens issued since this boot, to the user they belong to. */
  refreshTokens: Map<string, string>;
}

export interface Route {
  method: "GET" | "POST" | "PATCH" | "DELETE";
  pattern: string;
  public?: boolean;
  needsKeysecure?: boolean;
  handler(ctx: RouteContext): Promise<RestReply> | RestReply;
}

export type RouteMatch = { route: Route; params: Record<string, string> } | { methodNotAllowed: true } | null;

export function matchRoute(routes: readonly Route[], method: string, path: string): RouteMatch {
  let pathMatched = false;
  for (const route of routes) {
    const params = matchPattern(route.pattern, path);
    if (!params) continue;
    pathMatched = true;
    if (route.method === method) return { route, params };
  }
  return pathMatched ? { methodNotAllowed: true } : null;
}

function matchPattern(pattern: string, path: string): Record<string, string> | null {
  const want = pattern.split("/");
  const got = path.split("/");
  if (want.length !== got.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i] as string;
    const g = got[i] as string;
    if (w.startsWith(":")) {
      if (!g) return null;
      try {
        params[w.slice(1)] = decodeURIComponent(g);
      } catch {
        return null;
      }
    } else if (w !== g) return null;
  }
  return params;
}

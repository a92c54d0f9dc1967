// The shape of every API route: authenticate, authorize one permission, check the origin of
// state-changing requests, call one service, turn errors into responses.
import { cookies } from "next/headers";
import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { readSession, SESSION_COOKIE, type SessionUser } from "@/lib/auth/sessions";
import { hasPermission, type Permission } from "@/lib/domain/permissions";
import { toErrorResponse } from "@/lib/http/handle-api-error";
import type { Actor } from "@/lib/audit/append-audit-event";
import { isShuttingDown, SHUTDOWN_EVENT } from "@/lib/http/web-shutdown";

export interface RouteContext<P> {
  req: Request;
  user: SessionUser;
  actor: Actor;
  params: P;
}

export async function currentUser(): Promise<SessionUser | null> {
  const jar = await cookies();
  return readSession(getDb(), jar.get(SESSION_COOKIE)?.value);
}

/** The host of an Origin header; null for an opaque origin ("null": sandboxed frames, file://). */
function originHost(origin: string): string | null {
  try {
    return new URL(origin).host;
  } catch {
    return null;
  }
}

/** A cross-site form or fetch cannot change state: its Origin differs from our Host. */
export function checkOrigin(req: Request): void {
  if (req.method === "GET" || req.method === "HEAD") return;
  const origin = req.headers.get("origin");
  const host = req.headers.get("x-forwarded-host") ?? req.headers.get("host");
  if (origin && host && originHost(origin) !== host) {
    throw new AppError("forbidden", `Cross-site request refused: origin ${origin} is not ${host}.`);
  }
}

export function route<P = Record<string, string>>(permission: Permission, handler: (ctx: RouteContext<P>) => Promise<Response>) {
  return async (req: Request, segment: { params: Promise<P> }): Promise<Response> => {
    // A request that reaches a stopping server on a kept-alive connection is told to come back.
    if (isShuttingDown()) return stoppingResponse(req);
    try {
      checkOrigin(req);
      const user = await currentUser();
      if (!user) throw new AppError("unauthenticated", "Sign in first.");
      if (!hasPermission(user.role, permission)) {
        throw new AppError("forbidden", `Your role (${user.role}) may not do this: it needs the ${permission} permission.`);
      }
      const params = segment?.params ? await segment.params : ({} as P);
      return await handler({ req, user, actor: { type: "user", id: user.id, name: user.email }, params });
    } catch (e) {
      return toErrorResponse(e);
    }
  };
}

function stoppingResponse(req: Request): Response {
  // An EventSource gives up for good on any answer but an event stream, so a reconnect that lands
  // here is told the same as an open stream was: retry in a second (on a new connection).
  if (req.headers.get("accept")?.includes("text/event-stream")) {
    return new Response(SHUTDOWN_EVENT, { headers: { "content-type": "text/event-stream", "cache-control": "no-cache, no-transform", connection: "close" } });
  }
  return json(
    { error: { code: "unavailable", message: "This console server is stopping. Retry in a moment: another instance, or this one restarted, will answer." } },
    { status: 503, headers: { "retry-after": "2", connection: "close" } },
  );
}

/** JSON that survives BigInt columns (archive sizes). */
export function json(data: unknown, init?: ResponseInit): Response {
  const body = JSON.stringify(data, (_k, v: unknown) => (typeof v === "bigint" ? Number(v) : v));
  return new Response(body, { ...init, headers: { "content-type": "application/json", ...init?.headers } });
}

/**
 * The console's origin as the browser sees it. Next's `req.url` names the server's own address
 * (localhost), so the Host header decides; a proxy's X-Forwarded-Host/-Proto only with FLEET_TRUST_PROXY=1.
 */
export function requestOrigin(req: Request): URL {
  const url = new URL(req.url);
  const trusted = process.env.FLEET_TRUST_PROXY === "1";
  const forwarded = (name: string) => (trusted ? req.headers.get(name)?.split(",")[0]?.trim() : undefined);
  const proto = forwarded("x-forwarded-proto") ?? url.protocol.replace(/:$/, "");
  const host = forwarded("x-forwarded-host") ?? req.headers.get("host") ?? url.host;
  return new URL(`${proto === "https" ? "https" : "http"}://${host}`);
}

/** A 303 to `location` (relative to the console, or the identity provider's absolute URL). */
export function seeOther(location: string): Response {
  return new Response(null, { status: 303, headers: { location, "cache-control": "no-store" } });
}

/**
 * A page of the console's own that moves on to `path` (a local path). Used after the identity
 * provider's cross-site redirect chain: Chromium withholds SameSite=strict cookies from any later
 * redirect in that chain, but sends them on a navigation that a same-site page starts.
 */
export function continueTo(path: string): Response {
  if (!path.startsWith("/") || path.startsWith("//")) throw new Error(`continueTo takes a local path, not ${path}`);
  const href = path.replace(/[&"<>]/g, (c) => `&#${c.charCodeAt(0)};`);
  const body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="0;url=${href}"><title>Signed in</title></head><body><p>Signed in. <a href="${href}">Continue to the console</a>.</p></body></html>`;
  return new Response(body, { status: 200, headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" } });
}

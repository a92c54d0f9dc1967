// Single sign-on, first leg: remember the request in a sealed short-lived cookie, send the browser
// to the identity provider. Public, like password sign-in.
import { cookies } from "next/headers";
import { beginOidcSignIn, OIDC_FLOW_COOKIE, OIDC_FLOW_MINUTES, oidcRedirectUri, requireOidcConfig } from "@/lib/auth/oidc-client";
import { toErrorResponse } from "@/lib/http/handle-api-error";
import { requestOrigin, seeOther } from "@/lib/http/route";
import { logger } from "@/lib/log/logger";

export async function GET(req: Request): Promise<Response> {
  try {
    const config = requireOidcConfig();
    const origin = requestOrigin(req);
    const begun = await beginOidcSignIn(config, oidcRedirectUri(config, origin));
    if (!begun.ok) {
      logger.error({ issuer: config.issuer, detail: begun.detail }, "identity provider unreachable");
      return seeOther(`/login?error=${begun.reason}`);
    }
    // SameSite=lax: the cookie must come back on the provider's top-level redirect to the callback.
    const secure = origin.protocol === "https:";
    (await cookies()).set(OIDC_FLOW_COOKIE, begun.sealed, { httpOnly: true, sameSite: "lax", secure, path: "/api/auth/oidc", maxAge: OIDC_FLOW_MINUTES * 60 });
    return seeOther(begun.authorizationUrl.toString());
  } catch (e) {
    return toErrorResponse(e);
  }
}

// Single sign-on, last leg: the identity provider sends the browser back here with a code; a
// checked answer becomes a session cookie, a refusal becomes a message on the login page.
import { cookies } from "next/headers";
import { getDb } from "@/lib/db/client";
import { OIDC_FLOW_COOKIE, requireOidcConfig } from "@/lib/auth/oidc-client";
import { signInWithOidc } from "@/lib/auth/sign-in-with-oidc";
import { sessionCookieOptions, SESSION_COOKIE } from "@/lib/auth/sessions";
import { toErrorResponse } from "@/lib/http/handle-api-error";
import { continueTo, requestOrigin, seeOther } from "@/lib/http/route";

export async function GET(req: Request): Promise<Response> {
  try {
    const config = requireOidcConfig();
    const jar = await cookies();
    const result = await signInWithOidc(getDb(), config, new URL(req.url), jar.get(OIDC_FLOW_COOKIE)?.value);
    jar.delete({ name: OIDC_FLOW_COOKIE, path: "/api/auth/oidc" });
    if (!result.signedIn) return seeOther(`/login?error=${result.reason}`);
    jar.set(SESSION_COOKIE, result.token, sessionCookieOptions(requestOrigin(req).protocol === "https:", result.expiresAt));
    // Not a redirect: the session cookie is SameSite=strict (see continueTo).
    return continueTo("/");
  } catch (e) {
    return toErrorResponse(e);
  }
}

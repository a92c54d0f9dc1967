import { cookies } from "next/headers";
import { getDb } from "@/lib/db/client";
import { sessionCookieOptions, signIn, SignInSchema, SESSION_COOKIE } from "@/lib/auth/sessions";
import { toErrorResponse } from "@/lib/http/handle-api-error";
import { checkOrigin } from "@/lib/http/route";

export async function POST(req: Request): Promise<Response> {
  try {
    checkOrigin(req);
    const { email, password } = SignInSchema.parse(await req.json());
    // X-Forwarded-For is the client's own words unless a proxy we trust sets it (FLEET_TRUST_PROXY=1).
    const address = process.env.FLEET_TRUST_PROXY === "1" ? req.headers.get("x-forwarded-for")?.split(",")[0]?.trim() || "unknown" : null;
    const { token, user, expiresAt } = await signIn(getDb(), email, password, address);
    const secure = new URL(req.url).protocol === "https:";
    (await cookies()).set(SESSION_COOKIE, token, sessionCookieOptions(secure, expiresAt));
    return Response.json({ user });
  } catch (e) {
    return toErrorResponse(e);
  }
}

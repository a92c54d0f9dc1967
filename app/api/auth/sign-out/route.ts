import { cookies } from "next/headers";
import { getDb } from "@/lib/db/client";
import { signOut, SESSION_COOKIE } from "@/lib/auth/sessions";
import { toErrorResponse } from "@/lib/http/handle-api-error";
import { checkOrigin } from "@/lib/http/route";

export async function POST(req: Request): Promise<Response> {
  try {
    checkOrigin(req);
  } catch (e) {
    return toErrorResponse(e);
  }
  const jar = await cookies();
  const token = jar.get(SESSION_COOKIE)?.value;
  if (token) await signOut(getDb(), token);
  jar.delete(SESSION_COOKIE);
  return Response.json({ ok: true });
}

import { cookies } from "next/headers";
import { getDb } from "@/lib/db/client";
import { signOut, SESSION_COOKIE } from "@/lib/auth/sessions";

export async function POST(): Promise<Response> {
  const jar = await cookies();
  const token = jar.get(SESSION_COOKIE)?.value;
  if (token) await signOut(getDb(), token);
  jar.delete(SESSION_COOKIE);
  return Response.json({ ok: true });
}

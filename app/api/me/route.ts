import { route, json } from "@/lib/http/route";

export const GET = route("fleet:read", async ({ user }) => json({ user }));

import { getDb } from "@/lib/db/client";
import { route, json } from "@/lib/http/route";

export const GET = route<{ id: string }>("fleet:read", async ({ params }) =>
  json(await getDb().appliance.findUniqueOrThrow({ where: { id: params.id }, omit: { restPasswordEncrypted: true, restCertPem: true } })),
);

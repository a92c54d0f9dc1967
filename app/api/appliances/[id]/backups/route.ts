import { getDb } from "@/lib/db/client";
import { route, json } from "@/lib/http/route";

export const GET = route<{ id: string }>("fleet:read", async ({ params }) =>
  json(await getDb().backupConfirmation.findMany({
    where: { applianceId: params.id },
    orderBy: { confirmedAt: "desc" },
    select: { id: true, remoteBackupId: true, applianceVersion: true, backupSha256: true, keySha256: true, backupBytes: true, confirmedBy: true, confirmedAt: true, planId: true },
  })),
);

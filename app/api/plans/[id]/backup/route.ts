import { getDb } from "@/lib/db/client";
import { route, json } from "@/lib/http/route";
import { confirmBackup } from "@/lib/plans/confirm-backup";

export const POST = route<{ id: string }>("plans:write", async ({ actor, params }) => {
  const row = await confirmBackup(getDb(), actor, params.id);
  return json({ ...row, attestation: undefined, backupPath: undefined, keyPath: undefined }, { status: 201 });
});

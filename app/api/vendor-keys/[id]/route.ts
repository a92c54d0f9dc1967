import { getDb } from "@/lib/db/client";
import { route, json } from "@/lib/http/route";
import { removeVendorKey } from "@/lib/archives/vendor-keys";

export const DELETE = route<{ id: string }>("vendor-keys:write", async ({ actor, params }) => {
  await removeVendorKey(getDb(), actor, params.id);
  return json({ ok: true });
});

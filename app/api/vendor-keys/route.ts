import { getDb } from "@/lib/db/client";
import { route, json } from "@/lib/http/route";
import { addVendorKey, AddVendorKeySchema, listVendorKeys } from "@/lib/archives/vendor-keys";

export const GET = route("fleet:read", async () => json(await listVendorKeys(getDb())));

export const POST = route("vendor-keys:write", async ({ req, actor }) => {
  const { armored } = AddVendorKeySchema.parse(await req.json());
  const key = await addVendorKey(getDb(), actor, armored);
  return json({ id: key.id, fingerprint: key.fingerprint, userIds: key.userIds }, { status: 201 });
});

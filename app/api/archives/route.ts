import { getDb } from "@/lib/db/client";
import { route, json } from "@/lib/http/route";
import { listArchives } from "@/lib/archives/receive-archive";
import { withDeployability } from "@/lib/archives/deployable";

// Each row says whether an appliance can take it, so the UI offers versions without its own rule.
export const GET = route("fleet:read", async () => {
  const rows = await listArchives(getDb());
  return json(rows.map(withDeployability));
});

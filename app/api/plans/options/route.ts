import { getDb } from "@/lib/db/client";
import { route, json } from "@/lib/http/route";
import { describePlanOptions } from "@/lib/plans/plan-options";

export const GET = route("fleet:read", async ({ req }) => {
  const q = new URL(req.url).searchParams;
  return json(await describePlanOptions(getDb(), { applianceId: q.get("applianceId") ?? undefined, clusterId: q.get("clusterId") ?? undefined, targetVersion: q.get("targetVersion") ?? "" }));
});

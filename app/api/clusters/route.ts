import { getDb } from "@/lib/db/client";
import { route, json } from "@/lib/http/route";
import { confirmClusterMembers, ConfirmClusterSchema } from "@/lib/fleet/enrol-cluster";

export const GET = route("fleet:read", async () =>
  json(await getDb().cluster.findMany({ orderBy: { name: "asc" }, include: { appliances: { select: { id: true, name: true, version: true, status: true, clusterNodeId: true }, orderBy: { name: "asc" } } } })),
);
export const POST = route("appliances:write", async ({ req, actor }) => json(await confirmClusterMembers(getDb(), actor, ConfirmClusterSchema.parse(await req.json())), { status: 201 }));

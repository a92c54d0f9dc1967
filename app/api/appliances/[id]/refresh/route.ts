import { getDb } from "@/lib/db/client";
import { route, json } from "@/lib/http/route";
import { observeAppliance } from "@/lib/fleet/observe-appliance";

export const POST = route<{ id: string }>("plans:write", async ({ params }) => {
  const obs = await observeAppliance(getDb(), params.id);
  return json({ version: obs.versionText, model: obs.model, clustered: obs.clustered, rest: obs.rest, ssh: obs.ssh, service: obs.service.state, disk: obs.disk });
});

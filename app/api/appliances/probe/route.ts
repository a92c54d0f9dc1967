import { route, json } from "@/lib/http/route";
import { probeForEnrolment, ProbeInputSchema } from "@/lib/fleet/enrol-appliance";

export const POST = route("appliances:write", async ({ req }) => {
  const probe = await probeForEnrolment(ProbeInputSchema.parse(await req.json()));
  return json({ ...probe, restCertPem: undefined });
});

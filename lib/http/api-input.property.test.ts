// Every input schema the API routes parse, fed arbitrary JSON and near-valid bodies (a valid one
// with one field replaced): a schema either returns a value or throws a ZodError, which the one
// error mapper (handle-api-error.ts) turns into a 400 naming the field. Valid values round-trip
// through JSON (what a client sends back) to the same value.
import fc from "fast-check";
import { ZodError, type ZodType } from "zod";
import { describe, expect, it } from "vitest";
import { toErrorResponse } from "@/lib/http/handle-api-error";
import { EnrolInputSchema, ProbeInputSchema } from "@/lib/fleet/enrol-appliance";
import { CreateCampaignSchema, SelectionSchema } from "@/lib/campaigns/campaign-input";
import { CreatePlanSchema } from "@/lib/plans/create-plan";
import { CreateRestorePlanSchema } from "@/lib/plans/create-restore-plan";
import { FixSchema } from "@/lib/plans/apply-fix";
import { DecideWindowSchema, RequestWindowSchema } from "@/lib/windows/windows";
import { CreateUserSchema, UpdateUserSchema } from "@/lib/auth/manage-users";
import { CreateWebhookSchema, UpdateWebhookSchema } from "@/lib/notifications/webhooks";
import { AcceptTrustSchema } from "@/lib/fleet/trust";
import { ConfirmClusterSchema } from "@/lib/fleet/enrol-cluster";
import { AuditQuerySchema } from "@/lib/audit/query-audit";
import { UploadTicketSchema } from "@/lib/archives/archive-progress";
import { NOTIFICATION_EVENTS } from "@/lib/domain/notifications";
import { AbortPlanSchema } from "@/lib/plans/control-plan";
import { ConfirmStepSchema } from "@/lib/plans/confirm-step";
import { LaunchPlanSchema } from "@/lib/plans/launch-plan";
import { PauseAfterNodeSchema } from "@/lib/plans/pause-after-node";
import { CreateSshIdentitySchema } from "@/lib/fleet/ssh-identities";
import { SignInSchema } from "@/lib/auth/sessions";
import { TagsBodySchema } from "@/lib/campaigns/tags";
import { DiscoverClusterSchema } from "@/lib/fleet/enrol-cluster";
import { BulkEnrolSchema } from "@/lib/fleet/bulk-enrol";
import { AddVendorKeySchema } from "@/lib/archives/vendor-keys";
import { AbortCampaignSchema, ApproveWaveSchema, PauseCampaignSchema, WaveIndexSchema } from "@/lib/campaigns/control-campaign";

const UUID = "0b7c8a52-3f43-4c11-9a57-2f2f8e0c1d11";
const SSH_FP = `SHA256:${"A".repeat(43)}`;
const CERT_FP = "a".repeat(64);

// route-schemas.test.ts reads this table's names: every *Schema a route imports must have a row here.
const CASES: [string, ZodType, unknown][] = [
  ["EnrolInputSchema", EnrolInputSchema, { name: "cm-1", host: "10.0.0.1", sshPort: 22, restUrl: "https://10.0.0.1", sshIdentityId: UUID, restUsername: "admin", restPassword: "secret", acceptedSshHostKeyFingerprint: SSH_FP, acceptedRestCertFingerprint: CERT_FP }],
  ["ProbeInputSchema", ProbeInputSchema, { host: "cm.example.com", sshPort: 2222, restUrl: "https://cm.example.com" }],
  ["CreateCampaignSchema", CreateCampaignSchema, { name: "Q4 rollout", targetVersion: "2.11.0+13099", selection: { tags: ["site=paris"] } }],
  ["SelectionSchema", SelectionSchema, { tags: ["env=lab"], versions: ["2.10"], models: ["k170v"], names: ["cm-*"] }],
  ["CreatePlanSchema", CreatePlanSchema, { applianceId: UUID, method: "standalone", targetVersion: "2.11.0" }],
  ["CreateRestorePlanSchema", CreateRestorePlanSchema, { applianceId: UUID, targetVersion: "2.10.0+12807", backupConfirmationId: UUID, acknowledgement: "I understand" }],
  ["FixSchema", FixSchema, { fix: "remove-obsolete-node", applianceId: UUID }],
  ["RequestWindowSchema", RequestWindowSchema, { planId: UUID, startsAt: "2026-12-01T22:00:00.000Z", endsAt: "2026-12-02T02:00:00.000Z", reason: "firmware upgrade" }],
  ["DecideWindowSchema", DecideWindowSchema, { decision: "approve", comment: "ok" }],
  ["CreateUserSchema", CreateUserSchema, { email: "Ops@Example.com", name: "Ops", role: "operator", password: "correct horse battery" }],
  ["UpdateUserSchema", UpdateUserSchema, { role: "viewer" }],
  ["CreateWebhookSchema", CreateWebhookSchema, { name: "chat", url: "https://hooks.example.com/fleet", events: [NOTIFICATION_EVENTS[0]] }],
  ["UpdateWebhookSchema", UpdateWebhookSchema, { enabled: false }],
  ["AcceptTrustSchema", AcceptTrustSchema, { acceptedSshHostKeyFingerprint: SSH_FP, acceptedRestCertFingerprint: CERT_FP }],
  ["ConfirmClusterSchema", ConfirmClusterSchema, { entryApplianceId: UUID, clusterName: "c1", members: [{ nodeId: "n1", name: "cm-1", host: "10.0.0.1", sshPort: 22, restUrl: "https://10.0.0.1", acceptedSshHostKeyFingerprint: SSH_FP, acceptedRestCertFingerprint: CERT_FP }] }],
  ["AuditQuerySchema", AuditQuerySchema, { actor: "ops", from: "2026-11-01", limit: "50" }],
  ["UploadTicketSchema", UploadTicketSchema, UUID],
  ["AbortPlanSchema", AbortPlanSchema, { reason: "the maintenance window was cancelled" }],
  ["ConfirmStepSchema", ConfirmStepSchema, { note: "backup copied off the appliance" }],
  ["LaunchPlanSchema", LaunchPlanSchema, { schedule: true }],
  ["PauseAfterNodeSchema", PauseAfterNodeSchema, { pause: false }],
  ["CreateSshIdentitySchema", CreateSshIdentitySchema, { name: "ksadmin-lab", privateKey: "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjE=\n-----END OPENSSH PRIVATE KEY-----" }],
  ["SignInSchema", SignInSchema, { email: "ops@example.com", password: "correct horse battery" }],
  ["TagsBodySchema", TagsBodySchema, { tags: ["site=paris", "env=lab"] }],
  ["DiscoverClusterSchema", DiscoverClusterSchema, { entryApplianceId: UUID }],
  ["BulkEnrolSchema", BulkEnrolSchema, { csv: "name,host,sshPort,restUrl,sshIdentity,restUsername,restPassword\ncm-1,10.0.0.1,22,https://10.0.0.1,lab,admin,secret" }],
  ["AddVendorKeySchema", AddVendorKeySchema, { armored: "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nmDMEZ\n-----END PGP PUBLIC KEY BLOCK-----" }],
  ["PauseCampaignSchema", PauseCampaignSchema, { reason: "site visit on Friday" }],
  ["AbortCampaignSchema", AbortCampaignSchema, { reason: "the release was withdrawn" }],
  ["ApproveWaveSchema", ApproveWaveSchema, { comment: "canary healthy for a day" }],
  // A path segment, not a body: the route parses params.index.
  ["WaveIndexSchema", WaveIndexSchema, "2"],
];

/** What the route would answer: a value, or the 400 body the error mapper makes of the throw. */
async function answer(schema: ZodType, input: unknown): Promise<{ ok: true; value: unknown } | { ok: false; status: number; message: string; paths: string[] }> {
  try {
    return { ok: true, value: schema.parse(input) };
  } catch (e) {
    // Anything but a ZodError (a TypeError from a transform, say) fails the property here.
    expect(e).toBeInstanceOf(ZodError);
    const res = toErrorResponse(e);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("bad-input");
    return { ok: false, status: res.status, message: body.error.message, paths: (e as ZodError).issues.map((i) => i.path.join(".")) };
  }
}

/** A valid body with one field (or, for non-objects, the whole body) replaced by arbitrary JSON. */
function nearValid(valid: unknown) {
  if (typeof valid !== "object" || valid === null) return fc.jsonValue();
  const keys = Object.keys(valid);
  return fc.tuple(fc.constantFrom(...keys, "unexpectedField"), fc.jsonValue()).map(([k, v]) => ({ ...(valid as object), [k]: v }));
}

describe("[API] input schemas under arbitrary input", () => {
  it.each(CASES)("%s accepts its example, and the value round-trips through JSON", async (_name, schema, valid) => {
    const first = await answer(schema, valid);
    expect(first.ok).toBe(true);
    if (!first.ok) return;
    const again = await answer(schema, JSON.parse(JSON.stringify(first.value)));
    expect(again).toEqual(first);
  });

  it.each(CASES)("%s refuses arbitrary JSON only with a 400 that names what was wrong", async (_name, schema, valid) => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.jsonValue(), nearValid(valid)), async (input) => {
        const result = await answer(schema, input);
        if (result.ok) {
          // Whatever was accepted is stable: sent back as JSON, it parses to the same value.
          // Compared as JSON, the form it travels in: -0 is accepted as a wave index or a
          // count and goes out as 0, which is the same number (found by seed -1883591).
          const again = await answer(schema, JSON.parse(JSON.stringify(result.value)));
          expect(JSON.stringify(again)).toBe(JSON.stringify(result));
          return;
        }
        expect(result.status).toBe(400);
        expect(result.message.length).toBeGreaterThan(0);
        // Each issue is named: by its field, or as "input" when the body as a whole is wrong.
        for (const p of result.paths) expect(result.message).toContain(`${p || "input"}: `);
      }),
      { numRuns: 300 },
    );
  });

  it("names the field: a near-valid body with a bad field is refused for that field", async () => {
    const result = await answer(EnrolInputSchema, { ...(CASES[0]![2] as object), sshPort: "ssh" });
    expect(result).toMatchObject({ ok: false, status: 400, paths: ["sshPort"] });
  });
});

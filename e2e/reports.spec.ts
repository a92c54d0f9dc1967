// Issue 6, history, reports and notifications: an admin adds webhooks (a receiver started by this
// spec), sends a test and sees it delivered; a plan then runs on an appliance of this spec's own
// (so the other journeys' appliances stay as they expect), and the admin reads its appliance's
// history, the printable report (screen, print media and a PDF) and the notifications it sent.
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { startAppliance, type SimulatedAppliance } from "@/simulator/appliance";
import { hasValidSignature, startWebhookReceiver, type WebhookReceiver } from "@/lib/testing/webhook-receiver";
import { signedInClient } from "./api-routes";
import { ensureArchive, signIn, snap, stack } from "./support";

test.use({ viewport: { width: 1366, height: 768 } });
test.describe.configure({ mode: "serial" });

const suffix = crypto.randomBytes(3).toString("hex");
const NAME = `cm-rpt-${suffix}`;
let receiver: WebhookReceiver;
let sim: SimulatedAppliance;
let admin: APIRequestContext;
let applianceId = "";
let secret = "";
let stateDir = "";

test.beforeAll(async () => {
  const s = stack();
  receiver = await startWebhookReceiver();
  admin = await signedInClient(s.url, s.admin.email, s.admin.password);
  // The console's own SSH identity may log in to this appliance, as to the demo fleet.
  const identities = (await (await admin.get("/api/ssh-identities")).json()) as { id: string; name: string; publicKey: string }[];
  const identity = identities.find((i) => i.name === "simulated-fleet")!;
  stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "fleet-e2e-report-"));
  sim = await startAppliance({ name: NAME, version: "2.10.0+12807", stateDir, timeScale: 0.01, authorizedKeys: [identity.publicKey] });
  const seen = await admin.post("/api/appliances/probe", { data: { host: sim.host, sshPort: sim.sshPort, restUrl: sim.restUrl } });
  expect(seen.status(), await seen.text()).toBe(200);
  const fp = (await seen.json()) as { sshHostKeyFingerprint: string; restCertFingerprint: string };
  const enrolled = await admin.post("/api/appliances", {
    data: {
      name: NAME, host: sim.host, sshPort: sim.sshPort, restUrl: sim.restUrl, sshIdentityId: identity.id, restUsername: "admin", restPassword: "admin",
      acceptedSshHostKeyFingerprint: fp.sshHostKeyFingerprint, acceptedRestCertFingerprint: fp.restCertFingerprint,
    },
  });
  expect(enrolled.status(), await enrolled.text()).toBe(201);
  applianceId = ((await enrolled.json()) as { id: string }).id;
});

test.afterAll(async () => {
  await admin?.dispose();
  await sim?.stop();
  await receiver?.stop();
  if (stateDir) fs.rmSync(stateDir, { recursive: true, force: true });
});

test("an admin adds a webhook, sees its secret once, sends a test and sees it delivered", async ({ page }, info) => {
  const s = stack();
  await signIn(page, s);
  await page.getByRole("link", { name: "Webhooks" }).click();
  await expect(page.getByRole("heading", { name: "Webhooks", level: 1 })).toBeVisible();
  await page.getByLabel("Name").fill(`ops room ${suffix}`);
  await page.getByLabel(/^URL/).fill(`${receiver.url}/e2e-json`);
  await expect(page.getByText(/Plain http: payloads travel unencrypted/)).toBeVisible();
  await page.getByRole("button", { name: "Add webhook" }).click();
  const shown = page.getByTestId("webhook-secret");
  await expect(shown).toContainText(`Webhook "ops room ${suffix}" added`);
  secret = (await shown.locator(".mono").first().textContent())!.trim();
  expect(secret).toMatch(/^[0-9a-f]{64}$/);
  await snap(page, info, "01-webhook-created");

  await page.getByRole("button", { name: "I have stored it" }).click();
  await expect(page.getByTestId("webhook-secret")).toHaveCount(0);
  const hook = page.getByTestId(`webhook-ops room ${suffix}`);
  await expect(hook).toContainText("Generic JSON");
  await expect(hook).not.toContainText(secret);
  await hook.getByRole("button", { name: "Send test" }).click();
  await expect(hook.getByTestId("delivery").first()).toHaveAttribute("data-state", "delivered");
  await expect(hook.getByTestId("delivery").first()).toContainText("HTTP 200");
  const calls = receiver.callsTo("/e2e-json");
  expect(calls).toHaveLength(1);
  expect(hasValidSignature(calls[0]!, secret)).toBe(true);
  expect(calls[0]!.json).toMatchObject({ event: "test" });

  // A chat-style webhook beside it, and a refusal that says what to write instead.
  await page.getByLabel("Name").fill(`chat ${suffix}`);
  await page.getByLabel(/^URL/).fill("hooks.example.com/x");
  await page.getByRole("button", { name: "Add webhook" }).click();
  await expect(page.getByText(/could not be read: write it in full, e\.g\. https:\/\//)).toBeVisible();
  await page.getByLabel(/^URL/).fill(`${receiver.url}/e2e-chat`);
  await page.getByLabel(/Chat text/).check();
  await page.getByRole("button", { name: "Add webhook" }).click();
  await expect(page.getByTestId("webhook-secret")).toContainText(`Webhook "chat ${suffix}" added`);
  await page.getByRole("button", { name: "I have stored it" }).click();
  await snap(page, info, "02-webhook-test-delivered");
});

test("a finished plan: its appliance's history, the printable report, and the notifications it sent", async ({ page }, info) => {
  const s = stack();
  await signIn(page, s);
  await ensureArchive(page, s);
  // The plan is run through the API: this journey is about what is read afterwards.
  const created = await page.request.post(`${s.url}/api/plans`, { data: { applianceId, targetVersion: "2.11.0+13003" } });
  expect(created.status(), await created.text()).toBe(201);
  const planId = ((await created.json()) as { id: string }).id;
  for (const action of ["backup", "launch"]) {
    const res = await page.request.post(`${s.url}/api/plans/${planId}/${action}`, { data: {} });
    expect(res.status(), `${action}: ${await res.text()}`).toBeLessThan(300);
  }
  await expect.poll(async () => ((await (await page.request.get(`${s.url}/api/plans/${planId}`)).json()) as { state: string }).state, { timeout: 120_000 }).toBe("succeeded");

  await page.goto(`${s.url}/appliances/${applianceId}`);
  await page.getByRole("link", { name: "Full history, with reports" }).click();
  await page.waitForURL(/\/history\?appliance=/);
  await expect(page.getByRole("heading", { name: `History of ${NAME}` })).toBeVisible();
  const row = page.getByTestId(`history-${planId}`);
  await expect(row).toContainText("succeeded");
  await expect(row).toContainText("Standalone");
  await expect(row).toContainText("2.10.0+12807 → 2.11.0+13003");
  await expect(row).toContainText(s.admin.email);
  await expect(page.getByRole("table", { name: "Plans" }).getByRole("row")).toHaveCount(2);
  await snap(page, info, "03-history-of-appliance");

  await row.getByRole("link", { name: "Report" }).click();
  await page.waitForURL(new RegExp(`/plans/${planId}/report$`));
  await expect(page.getByTestId("report-state")).toContainText("succeeded");
  await expect(page.getByTestId("report-method")).toHaveText("Standalone");
  await expect(page.getByTestId("report-created")).toContainText(s.admin.email);
  await expect(page.getByTestId("report-launched")).toContainText(s.admin.email);
  await expect(page.getByTestId("report-window")).toContainText("None needed");
  await expect(page.getByTestId("report-backup")).toContainText(/backup sha256 [0-9a-f]{64}/);
  await expect(page.getByTestId("report-backup")).toContainText(/key sha256 [0-9a-f]{64}/);
  // The backup key's password is sealed in the same row: the report never shows it.
  await expect(page.getByTestId("report-backup")).not.toContainText(/v1:|Attestation/);
  await expect(page.getByTestId("report-precheck-disk-space")).toContainText("pass");
  const upgrade = page.getByTestId("report-step-run-upgrade");
  await expect(upgrade).toHaveAttribute("data-state", "succeeded");
  await expect(upgrade).toContainText("Upgrade to 2.11.0+13003 succeeded");
  await expect(upgrade.getByTestId("step-duration")).toHaveText(/\d s|min/);
  await expect(page.getByRole("table", { name: "Audit events" })).toContainText("plan-launched");
  await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
  await snap(page, info, "04-report-screen");

  // On paper: no navigation, no buttons; the same content, on A4 pages.
  await page.emulateMedia({ media: "print" });
  await expect(page.getByRole("navigation", { name: "Main" })).toBeHidden();
  await expect(page.getByRole("button", { name: "Print or save as PDF" })).toBeHidden();
  await snap(page, info, "05-report-print-media");
  const pdf = await page.pdf({ format: "A4", printBackground: false });
  expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
  const pages = (pdf.toString("latin1").match(/\/Type\s*\/Page[^s]/g) ?? []).length;
  expect(pages).toBeGreaterThanOrEqual(2);
  const pdfPath = info.outputPath("plan-report.pdf");
  fs.writeFileSync(pdfPath, pdf);
  await info.attach("plan-report.pdf", { path: pdfPath, contentType: "application/pdf" });
  await page.emulateMedia({ media: "screen" });

  // What the receiver heard about this plan: started, then finished, signed, with working links.
  await expect.poll(() => receiver.callsTo("/e2e-json").filter((c) => c.body.includes(planId)).length, { timeout: 30_000 }).toBe(2);
  const calls = receiver.callsTo("/e2e-json").filter((c) => c.body.includes(planId));
  expect(calls.map((c) => c.headers["x-fleet-event"])).toEqual(["plan-started", "plan-finished"]);
  expect(calls.every((c) => hasValidSignature(c, secret))).toBe(true);
  expect(calls[1]!.json).toMatchObject({ event: "plan-finished", plan: { id: planId, target: NAME, method: "standalone", state: "succeeded", url: `${s.url}/plans/${planId}` } });
  await expect.poll(() => receiver.callsTo("/e2e-chat").filter((c) => c.body.includes(planId)).map((c) => (c.json as { text: string }).text.split(":")[0]), { timeout: 30_000 }).toEqual(["Plan started", "Plan succeeded"]);

  await page.goto(`${s.url}/webhooks`);
  const hook = page.getByTestId(`webhook-ops room ${suffix}`);
  await expect(hook.getByTestId("delivery").first()).toContainText("plan-finished");
  await expect(hook).toContainText("3 delivered");
  await snap(page, info, "06-webhooks-after-plan");
});

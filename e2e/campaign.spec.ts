// The campaign journey: an admin tags appliances; an operator selects part of the fleet by tag,
// sees the live preview, creates a campaign with a lab canary and one wave per site, reads the dry
// run (the low-disk appliance is named), launches it and watches the canary and the next wave
// upgrade and the brake halt the campaign at the wave that cannot pass. cm-lon-01 and the cm-par cluster are left to the
// other journeys, which upgrade them themselves.
import crypto from "node:crypto";
import { expect, test, type Page } from "@playwright/test";
import { ensureArchive, signIn, snap, stack } from "./support";

const suffix = crypto.randomBytes(3).toString("hex");
// The laptop screen the console must hold on.
test.use({ viewport: { width: 1366, height: 768 } });
const OWNER = `owner=pki-${suffix}`;

async function setTags(page: Page, name: string, tags: string): Promise<void> {
  await page.getByRole("button", { name: `Edit tags of ${name}` }).click();
  await page.getByLabel(`Tags of ${name} (comma-separated`).fill(tags);
  await page.getByRole("button", { name: "Save tags" }).click();
}

async function tagAppliance(page: Page, name: string, tags: string): Promise<void> {
  await page.getByRole("link", { name: "Fleet", exact: true }).click();
  await page.getByRole("link", { name, exact: true }).click();
  await setTags(page, name, tags);
  await expect(page.getByTestId("tags-appliance")).toContainText(tags.split(", ")[0]!);
}

test("an operator rolls 2.11 out by campaign: preview, dry run, canary, brake", async ({ page }, info) => {
  const s = stack();
  await signIn(page, s);
  await ensureArchive(page, s);

  // The admin tags: a refused tag is named by the server, then fixed.
  await page.getByRole("link", { name: "Fleet", exact: true }).click();
  await page.getByRole("link", { name: "cm-lon-02", exact: true }).click();
  await setTags(page, "cm-lon-02", `Site=London, ${OWNER}`);
  await expect(page.getByRole("alert").filter({ hasText: '"Site=London" is not a tag' })).toBeVisible();
  await snap(page, info, "01-tag-refused");
  await page.getByLabel("Tags of cm-lon-02 (comma-separated").fill(`env=lab, site=london, ${OWNER}`);
  await page.getByRole("button", { name: "Save tags" }).click();
  await expect(page.getByTestId("tags-appliance")).toContainText("env=lab");
  await tagAppliance(page, "cm-fra-01", `site=frankfurt, ${OWNER}`);
  await tagAppliance(page, "cm-nyc-01", `site=newyork, ${OWNER}`);
  await page.getByRole("link", { name: "Fleet", exact: true }).click();
  await page.getByRole("link", { name: "cm-par-01", exact: true }).click();
  await setTags(page, "cluster cm-par", "site=paris");
  await expect(page.getByTestId("tags-cluster")).toContainText("site=paris");
  await page.getByRole("link", { name: "Fleet", exact: true }).click();
  await expect(page.getByRole("row", { name: /cm-lon-02/ })).toContainText("env=lab");
  await expect(page.getByRole("row", { name: /cm-par-02/ })).toContainText("site=paris");
  await snap(page, info, "02-fleet-tags");

  // An operator plans the campaign.
  const operator = { email: `campaign-operator-${suffix}@e2e.local`, password: "campaign-operator-password" };
  const created = await page.request.post(`${s.url}/api/users`, { data: { ...operator, name: "Campaign operator", role: "operator" } });
  expect(created.status(), await created.text()).toBe(201);
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.waitForURL(/\/login/);
  await page.getByLabel("Email").fill(operator.email);
  await page.getByLabel("Password").fill(operator.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(`${s.url}/`);

  await page.getByRole("link", { name: "Campaigns" }).click();
  await page.getByRole("link", { name: "New campaign" }).click();
  const preview = page.getByRole("table", { name: "Matched targets" });
  await expect(preview).toContainText("cm-par");
  await page.getByLabel("Name", { exact: true }).fill(`2.11 rollout ${suffix}`);
  await page.getByLabel("Target version (from verified archives)").selectOption("2.11.0+13003");
  await page.getByLabel("Tags (all of)").fill(OWNER);
  await expect(page.getByTestId("preview-count")).toHaveText("3 targets");
  for (const name of ["cm-fra-01", "cm-lon-02", "cm-nyc-01"]) await expect(preview).toContainText(name);
  await expect(preview).not.toContainText("cm-par");
  await page.getByLabel("Canary tag").fill("env=lab");
  await page.getByLabel("one wave per tag value").check();
  await page.getByLabel("Tag key").fill("site");
  await page.getByLabel("Soak (seconds)").fill("3");
  await snap(page, info, "03-new-campaign");
  await page.getByRole("button", { name: "Create campaign" }).click();
  await page.waitForURL(/\/campaigns\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId("campaign-state")).toHaveText("draft");
  await expect(page.getByTestId("wave-0")).toContainText("canary (env=lab)");
  await expect(page.getByTestId("wave-2")).toContainText("site=newyork");

  // The dry run reads the appliances and names what would stop.
  await page.getByRole("button", { name: "Dry run" }).click();
  const verdicts = page.getByRole("table", { name: "Dry run verdicts" });
  await expect(verdicts).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId("dry-run-cm-lon-02")).toHaveAttribute("data-verdict", "would-upgrade");
  await expect(page.getByTestId("dry-run-cm-fra-01")).toHaveAttribute("data-verdict", "would-upgrade");
  await expect(page.getByTestId("dry-run-cm-nyc-01")).toHaveAttribute("data-verdict", "would-fail-prechecks");
  await expect(page.getByTestId("dry-run-cm-nyc-01")).toContainText(/disk/i);
  await expect(page.getByText(/the brake would halt the campaign there/)).toBeVisible();
  await snap(page, info, "04-dry-run");

  // Launch; the canary upgrades, soaks and is done; the brake halts at the low-disk wave.
  await page.getByRole("button", { name: "Launch" }).click();
  await expect(page.getByTestId("campaign-state")).toHaveText(/running/);
  await expect(page.getByTestId("target-cm-lon-02")).toHaveAttribute("data-state", /starting|running/, { timeout: 30_000 });
  await snap(page, info, "05-canary-running");
  await expect(page.getByTestId("wave-0")).toHaveAttribute("data-state", "done", { timeout: 90_000 });
  await expect(page.getByTestId("target-cm-lon-02")).toHaveAttribute("data-state", "succeeded");
  await snap(page, info, "06-canary-done");
  await expect(page.getByTestId("target-cm-fra-01")).toHaveAttribute("data-state", "succeeded", { timeout: 90_000 });
  await expect(page.getByTestId("campaign-state")).toHaveText("halted", { timeout: 60_000 });
  await expect(page.getByTestId("campaign-reason")).toContainText(/cm-nyc-01.*GiB/);
  await expect(page.getByTestId("target-cm-nyc-01")).toHaveAttribute("data-state", "failed");
  await expect(page.getByRole("list", { name: "Failures" })).toContainText("cm-nyc-01");
  // A halted campaign does not resume: the control says why instead.
  await expect(page.getByRole("button", { name: "Resume" })).toBeDisabled();
  await expect(page.getByText("Resume: the brake halted this campaign")).toBeVisible();
  await snap(page, info, "07-campaign-end");

  await page.getByRole("link", { name: "All campaigns" }).click();
  await expect(page.getByRole("row", { name: new RegExp(`2.11 rollout ${suffix}`) })).toBeVisible();
  await snap(page, info, "08-campaigns-list");
});

test("a wave waits for an approver other than the campaign's creator", async ({ page }, info) => {
  const s = stack();
  await signIn(page, s);
  await ensureArchive(page, s);
  // A draft over the cluster: approvals are given before launch; it is never launched here.
  const res = await page.request.post(`${s.url}/api/campaigns`, {
    data: { name: `approved rollout ${suffix}`, targetVersion: "2.11.0+13003", selection: { names: ["cm-par"] }, waves: { approvalBeforeEachWave: true } },
  });
  expect(res.status(), await res.text()).toBe(201);
  const { id } = (await res.json()) as { id: string };
  await page.goto(`${s.url}/campaigns/${id}`);
  await expect(page.getByTestId("wave-0")).toContainText("needs approval");
  await expect(page.getByRole("button", { name: "Approve canary" })).toBeDisabled();
  await expect(page.getByText("you created this campaign; another approver must approve its waves (four eyes)")).toBeVisible();

  const approver = { email: `campaign-approver-${suffix}@e2e.local`, password: "campaign-approver-password" };
  const created = await page.request.post(`${s.url}/api/users`, { data: { ...approver, name: "Campaign approver", role: "approver" } });
  expect(created.status(), await created.text()).toBe(201);
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.waitForURL(/\/login/);
  await page.getByLabel("Email").fill(approver.email);
  await page.getByLabel("Password").fill(approver.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(`${s.url}/`);
  await page.goto(`${s.url}/campaigns/${id}`);
  // An approver approves; running the campaign is not theirs to do.
  await expect(page.getByRole("button", { name: "Launch" })).toHaveCount(0);
  page.once("dialog", (d) => void d.accept("lab looks fine"));
  await page.getByRole("button", { name: "Approve canary" }).click();
  await expect(page.getByTestId("wave-0")).toContainText(`Approved by ${approver.email}`);
  await snap(page, info, "wave-approved");
});

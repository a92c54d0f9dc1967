// The journey of issue 2: sign in, trust the vendor key, upload an archive, plan, back up,
// launch, watch it finish live, read the history. Real Chromium, real stack, simulated fleet.
import { expect, test } from "@playwright/test";
import { ensureArchive, signIn, snap, stack } from "./support";

test("an administrator upgrades one appliance end to end and reads the history", async ({ page }, info) => {
  const s = stack();
  await signIn(page, s);
  await expect(page.getByRole("link", { name: "cm-lon-01" })).toBeVisible();
  await snap(page, info, "01-fleet");

  await ensureArchive(page, s);
  await expect(page.getByLabel("Trusted keys")).toContainText("Test Vendor");
  await expect(page.getByRole("table")).toContainText("2.11.0+13003");
  await snap(page, info, "02-archives");

  await page.getByRole("link", { name: "Fleet", exact: true }).click();
  await page.getByRole("link", { name: "cm-lon-01" }).click();
  await expect(page.getByTestId("appliance-version")).toHaveText("2.10.0+12807");
  await page.getByLabel("Target version (from verified archives)").selectOption("2.11.0+13003");
  await page.getByRole("button", { name: "Create plan and run prechecks" }).click();
  await page.waitForURL(/\/plans\//);
  await expect(page.getByTestId("precheck-disk-space")).toContainText("pass");
  await expect(page.getByTestId("precheck-backup")).toContainText("warn");
  await expect(page.getByRole("button", { name: "Launch" })).toBeDisabled();
  await snap(page, info, "03-plan-prechecked");

  await page.getByRole("button", { name: "Create and download backup" }).click();
  await expect(page.getByTestId("backups")).toContainText("and its key, downloaded by");
  await expect(page.getByRole("button", { name: "Launch" })).toBeEnabled();
  await page.getByRole("button", { name: "Launch" }).click();
  await expect(page.getByTestId("plan-state")).toContainText("running");
  await expect(page.getByTestId("log-tail")).toContainText("ks_upgrade.sh", { timeout: 60_000 });
  await snap(page, info, "04-plan-running");
  await expect(page.getByTestId("plan-state")).toContainText("succeeded", { timeout: 120_000 });
  await expect(page.getByTestId("step-postcheck")).toHaveAttribute("data-state", "succeeded");
  await expect(page.getByTestId("log-tail")).toContainText("Upgrade to 2.11.0+13003 succeeded");
  await snap(page, info, "05-plan-succeeded");

  await page.getByRole("link", { name: "History" }).click();
  const row = page.getByRole("row", { name: /cm-lon-01/ });
  await expect(row).toContainText("succeeded");
  await expect(row).toContainText("2.10.0+12807 → 2.11.0+13003");
  await snap(page, info, "06-history");
});

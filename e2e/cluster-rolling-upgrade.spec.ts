// Issue 3's journey: a rolling (online in-place) upgrade of a 3-node cluster, watched live, node
// by node, with the database-lock warning shown when the first node starts.
import { expect, test } from "@playwright/test";
import { ensureArchive, signIn, snap, stack } from "./support";

test("an operator rolls a 3-node cluster to 2.11 and watches it node by node", async ({ page }, info) => {
  const s = stack();
  await signIn(page, s);
  await ensureArchive(page, s);
  await page.goto(`${s.url}/`);
  await expect(page.getByRole("row", { name: /cm-par-03/ })).toContainText("cm-par");
  await page.getByRole("link", { name: "cm-par-01" }).click();
  await page.getByLabel("Target version (from verified archives)").selectOption("2.11.0+13003");
  await expect(page.getByTestId("method-online-rolling")).toContainText("suggested");
  await expect(page.getByTestId("method-standalone")).toContainText("not available");
  await expect(page.getByTestId("method-offline-in-place")).toContainText("Offline in-place");
  await snap(page, info, "01-methods");
  await page.getByRole("button", { name: "Create plan and run prechecks" }).click();
  await page.waitForURL(/\/plans\//);
  await expect(page.getByTestId("plan-state")).toContainText(/prechecked|draft/);
  await page.getByRole("button", { name: "Create and download backup" }).click();
  await expect(page.getByTestId("backups")).toContainText("and its key, downloaded by");
  await page.getByRole("button", { name: "Launch" }).click();
  await expect(page.getByText(/Warning: The first node is upgrading/)).toBeVisible({ timeout: 60_000 });
  await snap(page, info, "02-first-node-warning");
  const upgrades = page.locator('[data-testid="step-run-upgrade"]');
  await expect(upgrades).toHaveCount(3);
  // Node by node: the second node's upgrade starts only after the first one succeeded.
  await expect(upgrades.nth(0)).toHaveAttribute("data-state", "succeeded", { timeout: 60_000 });
  await expect(upgrades.nth(2)).toHaveAttribute("data-state", "pending");
  await snap(page, info, "03-first-node-done");
  await expect(page.getByTestId("plan-state")).toContainText("succeeded", { timeout: 120_000 });
  for (let i = 0; i < 3; i++) await expect(upgrades.nth(i)).toHaveAttribute("data-state", "succeeded");
  await snap(page, info, "04-cluster-done");
  await page.goto(`${s.url}/`);
  for (const name of ["cm-par-01", "cm-par-02", "cm-par-03"]) await expect(page.getByRole("row", { name: new RegExp(name) })).toContainText("2.11.0+13003");
});

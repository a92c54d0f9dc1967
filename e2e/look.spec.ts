// Issue 6: every main page in the light and the dark theme at a laptop's 1366x768 (screenshots),
// none wider than the window there or at 1280x720, a skip link and a visible focus ring on Tab,
// and the theme chosen by the person (or the system) applied before any script of the app runs.
import { expect, test, type Page } from "@playwright/test";
import { ensureArchive, signIn, snap, stack } from "./support";

const LAPTOP = { width: 1366, height: 768 };
const SMALL = { width: 1280, height: 720 };

/** The main pages, with ids read from the API (a draft plan is made when no plan exists yet). */
async function mainPages(page: Page): Promise<[string, string][]> {
  const s = stack();
  const appliances = (await (await page.request.get(`${s.url}/api/appliances`)).json()) as { id: string; name: string }[];
  const lon = appliances.find((a) => a.name === "cm-lon-01")!;
  let plans = (await (await page.request.get(`${s.url}/api/plans`)).json()) as { id: string }[];
  if (plans.length === 0) {
    const nyc = appliances.find((a) => a.name === "cm-nyc-01")!;
    await page.request.post(`${s.url}/api/plans`, { data: { applianceId: nyc.id, targetVersion: "2.11.0+13003" }, headers: { origin: s.url } });
    plans = (await (await page.request.get(`${s.url}/api/plans`)).json()) as { id: string }[];
  }
  return [["fleet", "/"], ["archives", "/archives"], ["appliance", `/appliances/${lon.id}`], ["plan-room", `/plans/${plans[0]!.id}`], ["windows", "/windows"],
    ["catalog", "/catalog"], ["history", "/history"], ["users", "/users"], ["audit", "/audit"], ["campaigns", "/campaigns"]];
}

async function open(page: Page, path: string): Promise<void> {
  await page.goto(`${stack().url}${path}`);
  await page.locator("main h1").first().waitFor();
  // The plan room keeps its event stream open; elsewhere the data has come once the network rests.
  if (path.startsWith("/plans/")) await page.getByTestId("plan-state").waitFor();
  else await page.waitForLoadState("networkidle");
}

const overflow = (page: Page) => page.evaluate(() => ({ scroll: document.scrollingElement!.scrollWidth, width: window.innerWidth }));

test("every main page holds at 1366x768 in light and dark, and shows where the focus is", async ({ page }, info) => {
  test.setTimeout(300_000);
  const s = stack();
  await page.setViewportSize(LAPTOP);
  await signIn(page, s);
  await ensureArchive(page, s);
  const pages = await mainPages(page);
  for (const scheme of ["light", "dark"] as const) {
    // No stored choice: the console follows the system's preference.
    await page.emulateMedia({ colorScheme: scheme });
    for (const [name, path] of pages) {
      await open(page, path);
      if (scheme === "dark") await expect(page.locator("html")).toHaveClass(/\bdark\b/);
      else await expect(page.locator("html")).not.toHaveClass(/\bdark\b/);
      const o = await overflow(page);
      expect(o.scroll, `${name} (${scheme}) is wider than the window`).toBeLessThanOrEqual(o.width);
      await snap(page, info, `${scheme}-${name}`);
    }
  }
  // The first Tab shows the skip link; Enter lands in the content; every stop has a visible ring.
  await page.emulateMedia({ colorScheme: "light" });
  await open(page, "/");
  await page.keyboard.press("Tab");
  const skip = page.getByRole("link", { name: "Skip to content" });
  await expect(skip).toBeFocused();
  expect((await skip.boundingBox())!.y).toBeGreaterThanOrEqual(0);
  for (let i = 0; i < 6; i++) {
    await page.keyboard.press("Tab");
    const ring = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement;
      const target = el.matches("input.sr-only") ? el.closest("label")! : el;
      const st = getComputedStyle(target);
      return { what: `${el.tagName} ${el.textContent?.trim().slice(0, 30)}`, outline: st.outlineStyle !== "none" && parseFloat(st.outlineWidth) >= 2, shadow: st.boxShadow !== "none" };
    });
    expect(ring.outline || ring.shadow, `no focus ring on ${ring.what}`).toBe(true);
  }
  await snap(page, info, "focus-ring");
  await open(page, "/");
  await page.keyboard.press("Tab");
  await page.keyboard.press("Enter");
  await expect(page.locator("main")).toBeFocused();
});

test("no main page is wider than a 1280x720 window", async ({ page }) => {
  await page.setViewportSize(SMALL);
  await signIn(page, stack());
  for (const [name, path] of await mainPages(page)) {
    await open(page, path);
    const o = await overflow(page);
    expect(o.scroll, `${name} is wider than the window`).toBeLessThanOrEqual(o.width);
  }
});

test("the theme a person picks is kept and applied before the app's scripts run", async ({ page }, info) => {
  const s = stack();
  await page.setViewportSize(LAPTOP);
  await page.emulateMedia({ colorScheme: "light" });
  await signIn(page, s);
  const theme = page.getByRole("group", { name: "Colour theme" });
  await theme.getByText("Dark", { exact: true }).click();
  await expect(page.locator("html")).toHaveClass(/\bdark\b/);
  await expect(theme.getByRole("radio", { name: "Dark" })).toBeChecked();
  // With the app's own scripts blocked, only the inline script in <head> can set the class.
  await page.route("**/_next/static/chunks/**", (route) => route.abort());
  await page.goto(`${s.url}/archives`);
  await expect(page.locator("html")).toHaveClass(/\bdark\b/);
  await page.unroute("**/_next/static/chunks/**");
  await page.goto(`${s.url}/archives`);
  await snap(page, info, "dark-chosen");
  // "System" follows the system's preference, now and when it changes.
  await page.getByRole("group", { name: "Colour theme" }).getByText("System", { exact: true }).click();
  await expect(page.locator("html")).not.toHaveClass(/\bdark\b/);
  await page.emulateMedia({ colorScheme: "dark" });
  await expect(page.locator("html")).toHaveClass(/\bdark\b/);
  await page.reload();
  await expect(page.locator("html")).toHaveClass(/\bdark\b/);
  await page.emulateMedia({ colorScheme: "light" });
  await page.getByRole("group", { name: "Colour theme" }).getByText("Light", { exact: true }).click();
  await page.emulateMedia({ colorScheme: "dark" });
  await page.reload();
  await expect(page.locator("html")).not.toHaveClass(/\bdark\b/);
});

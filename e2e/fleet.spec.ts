// Issue 6, the fleet at a glance: compliance counts that filter, search, a golden version set by an
// admin (on an appliance, and by tag) changing the verdict; then 10,000 seeded appliances (the
// seed-fleet script against the stack's own database) paged, searched and filtered on the server.
// The seeded rows and every golden version set here are removed afterwards.
import crypto from "node:crypto";
import { expect, test, type Page } from "@playwright/test";
import { createDb } from "@/lib/db/client";
import { classifyCompliance } from "@/lib/domain/compliance";
import { removeSeededFleet, seedFleet } from "../scripts/seed-fleet";
import { signIn, snap, stack } from "./support";

// The laptop screen the console must hold on.
test.use({ viewport: { width: 1366, height: 768 } });
const suffix = crypto.randomBytes(3).toString("hex");
const RULE_TAG = `fleet-e2e=${suffix}`;

const fleetTable = (page: Page) => page.getByRole("table", { name: "Fleet" });
const fleetRow = (page: Page, name: string) => fleetTable(page).getByRole("row", { name: new RegExp(`\\b${name}\\b`) });
const tile = (page: Page, label: RegExp) => page.getByRole("group", { name: "Compliance counts (each a filter)" }).getByRole("button", { name: label });
const tileCount = async (page: Page, label: RegExp) => Number((await tile(page, label).locator("span").first().textContent())!.replace(/,/g, ""));

test.describe("the fleet view over the simulated fleet", () => {
  const restore: { nycTags?: string[]; nycId?: string; fraId?: string } = {};

  test.afterAll(async ({ request }) => {
    const s = stack();
    const admin = { headers: { origin: s.url } };
    await request.post(`${s.url}/api/auth/sign-in`, { ...admin, data: { email: s.admin.email, password: s.admin.password } });
    const rules = (await (await request.get(`${s.url}/api/golden-rules`)).json()) as { tag: string; version: string }[];
    await request.put(`${s.url}/api/golden-rules`, { ...admin, data: { rules: rules.filter((r) => r.tag !== RULE_TAG).map(({ tag, version }) => ({ tag, version })) } });
    if (restore.fraId) await request.put(`${s.url}/api/appliances/${restore.fraId}/golden`, { ...admin, data: { version: null } });
    if (restore.nycId && restore.nycTags) await request.put(`${s.url}/api/appliances/${restore.nycId}/tags`, { ...admin, data: { tags: restore.nycTags } });
  });

  test("an admin reads the fleet at a glance, filters it, and a golden version changes the verdict", async ({ page }, info) => {
    const s = stack();
    await signIn(page, s);
    // Every cluster is one row, with a dot per node; standalones are one row each.
    await expect(fleetRow(page, "cm-par")).toContainText("cluster of 3");
    await expect(fleetRow(page, "cm-par").getByRole("list", { name: "Node states" }).getByRole("listitem")).toHaveCount(3);
    // Other journeys may have upgraded it already: the golden version is set one release above what it runs.
    const fra = ((await (await page.request.get(`${s.url}/api/fleet?q=cm-fra-01`)).json()) as { rows: { versions: string[] }[] }).rows[0]!.versions[0]!;
    const [major, minor] = fra.split(".").map(Number) as [number, number];
    const golden = `${major}.${minor + 1}.0`;
    await expect(fleetRow(page, "cm-fra-01")).toContainText(fra);
    await expect(fleetRow(page, "cm-fra-01").getByTestId("compliance")).toHaveAttribute("data-compliance", "no-golden");
    await snap(page, info, "01-fleet");

    // The admin sets cm-fra-01's golden version on its page: a wrong one is refused with the reason.
    const behindBefore = await tileCount(page, /\bBehind$/);
    await fleetTable(page).getByRole("link", { name: "cm-fra-01", exact: true }).click();
    restore.fraId = page.url().split("/").pop()!;
    await page.getByRole("button", { name: "Set golden version of cm-fra-01" }).click();
    await page.getByLabel("Golden version of cm-fra-01").fill("latest");
    await page.getByRole("button", { name: "Save golden version" }).click();
    await expect(page.getByRole("alert").filter({ hasText: '"latest" is not a version: write a release like 2.11.0 or a build like 2.11.0+13003' })).toBeVisible();
    await snap(page, info, "02-golden-refused");
    await page.getByLabel("Golden version of cm-fra-01").fill(golden);
    await page.getByRole("button", { name: "Save golden version" }).click();
    await expect(page.getByTestId("golden-appliance")).toContainText(golden);

    await page.getByRole("link", { name: "Fleet", exact: true }).click();
    await expect(fleetRow(page, "cm-fra-01").getByTestId("compliance")).toHaveAttribute("data-compliance", "behind");
    await expect(fleetRow(page, "cm-fra-01")).toContainText(golden);
    await expect(fleetRow(page, "cm-fra-01")).toContainText("set on it");
    await expect.poll(() => tileCount(page, /\bBehind$/)).toBe(behindBefore + 1);

    // A count is a filter: only the rows behind, the tile pressed, the choice in the URL.
    await tile(page, /\bBehind$/).click();
    await expect(page).toHaveURL(/compliance=behind/);
    await expect(tile(page, /\bBehind$/)).toHaveAttribute("aria-pressed", "true");
    await expect(fleetRow(page, "cm-fra-01")).toBeVisible();
    const verdicts = await fleetTable(page).getByTestId("compliance").evaluateAll((els) => els.map((e) => e.getAttribute("data-compliance")));
    expect(verdicts.length).toBe(behindBefore + 1);
    expect(new Set(verdicts)).toEqual(new Set(["behind"]));
    await expect(page.getByTestId("fleet-range")).toHaveText(`Rows 1-${behindBefore + 1} of ${behindBefore + 1}`);
    await snap(page, info, "03-filtered-behind");
    await tile(page, /^[\d,]+ All rows$/).click();

    // Search finds a cluster by one of its nodes.
    await page.getByLabel("Search names and hosts").fill("cm-par-02");
    await expect(page.getByTestId("fleet-range")).toHaveText("Rows 1-1 of 1");
    await expect(fleetTable(page).getByTestId("fleet-row")).toHaveCount(1);
    await expect(fleetRow(page, "cm-par")).toContainText("cm-par-03");
    await snap(page, info, "04-search-cluster-node");
    await page.getByRole("button", { name: "Clear filters" }).click();
    await expect(fleetRow(page, "cm-lon-01")).toBeVisible();

    // A rule by tag: cm-nyc-01 carries the tag, so the rule's version becomes its golden version.
    const nyc = (await (await page.request.get(`${s.url}/api/fleet?q=cm-nyc-01`)).json()) as { rows: { id: string; tags: string[]; versions: string[] }[] };
    const row = nyc.rows[0]!;
    restore.nycId = row.id;
    restore.nycTags = row.tags;
    const tagged = await page.request.put(`${s.url}/api/appliances/${row.id}/tags`, { headers: { origin: s.url }, data: { tags: [...row.tags, RULE_TAG] } });
    expect(tagged.status(), await tagged.text()).toBe(200);
    await page.reload();
    await page.getByRole("button", { name: "Edit rules" }).click();
    await page.getByRole("button", { name: "Add a rule" }).click();
    const last = await page.getByLabel(/^Tag of rule \d+$/).count();
    await page.getByLabel(`Tag of rule ${last}`).fill(RULE_TAG);
    await page.getByLabel(`Version of rule ${last}`).fill("2.10.0+12807");
    await snap(page, info, "05-golden-rule");
    await page.getByRole("button", { name: "Save rules" }).click();
    await expect(page.getByRole("table", { name: "Golden version rules" })).toContainText(RULE_TAG);
    const expected = classifyCompliance([{ name: "cm-nyc-01", version: row.versions[0]!, status: "ok" }], "2.10.0+12807").compliance;
    await expect(fleetRow(page, "cm-nyc-01").getByTestId("compliance")).toHaveAttribute("data-compliance", expected);
    await expect(fleetRow(page, "cm-nyc-01")).toContainText(`rule ${RULE_TAG}`);
    await snap(page, info, "06-rule-applied");
  });
});

test.describe("a fleet of 10,000 seeded appliances", () => {
  let db: ReturnType<typeof createDb>;

  test.beforeAll(() => {
    db = createDb(stack().databaseUrl);
  });

  test.afterAll(async () => {
    await removeSeededFleet(db);
    await db.$disconnect();
  });

  test("loads, pages, searches and filters on the server", async ({ page }, info) => {
    test.setTimeout(300_000);
    const seeded = await seedFleet(db, { count: 10_000 });
    expect(seeded.appliances).toBe(10_000);
    const s = stack();
    await signIn(page, s);
    await expect(page.getByText(/^10,0\d\d appliances enrolled\./)).toBeVisible();
    const range = page.getByTestId("fleet-range");
    await expect(range).toHaveText(/^Rows 1-50 of 6,0\d\d$/);
    const total = Number((await range.textContent())!.split(" of ")[1]!.replace(/,/g, ""));
    expect(total).toBe(seeded.clusters + seeded.standalones + (await db.cluster.count({ where: { NOT: { tags: { has: "seed=scale" } } } })) + (await db.appliance.count({ where: { clusterId: null, NOT: { tags: { has: "seed=scale" } } } })));
    await expect(fleetTable(page).getByTestId("fleet-row")).toHaveCount(50);
    await snap(page, info, "01-ten-thousand");

    await page.getByRole("button", { name: "Next" }).click();
    await expect(range).toHaveText(`Rows 51-100 of ${total.toLocaleString("en")}`);
    await expect(page).toHaveURL(/page=2/);
    await page.getByRole("button", { name: "Last" }).click();
    const pages = Math.ceil(total / 50);
    await expect(page.getByText(`Page ${pages} of ${pages}`, { exact: true })).toBeVisible();
    await expect(fleetTable(page).getByTestId("fleet-row")).toHaveCount(total - (pages - 1) * 50);
    await snap(page, info, "02-last-page");

    await page.getByLabel("Search names and hosts").fill("seed-s00042");
    await expect(range).toHaveText("Rows 1-1 of 1");
    await expect(fleetRow(page, "seed-s00042")).toContainText("seed-s00042.scale.invalid");
    await snap(page, info, "03-search-one");
    await page.getByRole("button", { name: "Clear filters" }).click();
    await expect(range).toHaveText(`Rows 1-50 of ${total.toLocaleString("en")}`);

    // The unreachable count filters to exactly that many rows, every one with a node not ok.
    const unreachable = await tileCount(page, /\bUnreachable$/);
    expect(unreachable).toBeGreaterThan(0);
    await tile(page, /\bUnreachable$/).click();
    await expect(range).toHaveText(new RegExp(`of ${unreachable.toLocaleString("en")}$`));
    await snap(page, info, "04-unreachable");
    await page.getByLabel("Rows per page").selectOption("200");
    await expect(fleetTable(page).getByTestId("fleet-row")).toHaveCount(Math.min(200, unreachable));
    expect(new Set(await fleetTable(page).getByTestId("compliance").evaluateAll((els) => els.map((e) => e.getAttribute("data-compliance"))))).toEqual(new Set(["unreachable"]));
  });
});

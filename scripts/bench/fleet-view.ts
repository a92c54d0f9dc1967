// Benchmark 5, the fleet view at scale: a console with 10,000 seeded appliances (scripts/seed-fleet.ts)
// answering GET /api/fleet, the route the fleet page reads, for a mix of what people ask (the first
// page, a search, filters, sorts, a late page), beside the page's own SQL statement run straight
// through pg; then the page itself in Chromium, from navigation to the first rows shown and usable.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { ensureDatabase, migrateDatabase } from "@/lib/db/migrate";
import { createDb } from "@/lib/db/client";
import { SESSION_COOKIE } from "@/lib/auth/sessions";
import { parseFleetQuery } from "@/lib/fleet/fleet-view";
import { fleetPageStatement } from "@/lib/fleet/fleet-sql";
import { seedFleet } from "../seed-fleet";
import { startStack, type Stack } from "../lib/stack";
import { freePort, withDatabase } from "../lib/services";
import type { Bench, BenchContext, BenchResult, BenchRow } from "./types";
import { describeSummary, dropDatabase, removeQueueKeys, launchChromium, machineBusy, percentile, signInCookie, summarize, type Summary } from "./console-clients";

const API_GOAL_MS = 50;
const PAGE_GOAL_MS = 1_000;
const MIN_REQUESTS = 200;
const WARM_ROUNDS = 2;
const PAGE_LOADS = 5;

interface FleetQueryCase { name: string; params: Record<string, string> }

/** What people ask of the fleet view; the late page is one before the last of the whole fleet. */
function queryMix(lastPage: number): FleetQueryCase[] {
  return [
    { name: "first page", params: {} },
    { name: "search a cluster's name", params: { q: "seed-c0012" } },
    { name: "search one appliance", params: { q: "seed-s00042" } },
    { name: "filter: behind", params: { compliance: "behind" } },
    { name: "filter: a node unreachable", params: { status: "unreachable" } },
    { name: "filter: tag site=paris", params: { tag: "site=paris" } },
    { name: "filter: release line 2.10", params: { version: "2.10" } },
    { name: "sort: most recent contact", params: { sort: "-last-contact" } },
    { name: "sort: oldest version, 200 a page", params: { sort: "version", pageSize: "200" } },
    { name: "sort: worst compliance", params: { sort: "compliance" } },
    { name: `late page (${Math.max(1, lastPage - 1)})`, params: { page: String(Math.max(1, lastPage - 1)) } },
    { name: "clusters only, Z to A, page 20", params: { kind: "cluster", sort: "-name", page: "20" } },
  ];
}

async function timeApi(url: string, cookie: string, params: Record<string, string>): Promise<{ ms: number; body: { total: number; pageCount: number; rows: unknown[] } }> {
  const started = performance.now();
  const res = await fetch(`${url}/api/fleet?${new URLSearchParams(params)}`, { headers: { cookie: `${SESSION_COOKIE}=${cookie}` } });
  const text = await res.text();
  const ms = performance.now() - started;
  if (!res.ok) throw new Error(`GET /api/fleet?${new URLSearchParams(params)} answered ${res.status}: ${text.slice(0, 300)}`);
  return { ms, body: JSON.parse(text) as { total: number; pageCount: number; rows: unknown[] } };
}

/** The route's floor: the page's one statement (counts, total, the page's rows with nodes and plans, the filters' choices), straight through pg. */
async function timeStatement(client: pg.Client, params: Record<string, string>): Promise<number> {
  const statement = fleetPageStatement(parseFleetQuery(params));
  const started = performance.now();
  await client.query(statement.text, statement.values);
  return performance.now() - started;
}

interface PageLoads { fleet: number[]; login: number[]; searchMs: number[]; rowsShown: number; html: number[]; loaded: number[] }

/**
 * The fleet page in Chromium: each load in a fresh browser context (empty cache, the session
 * cookie only), timed from the navigation's start to the moment the first rows and the row count
 * are on screen. The rows come with the HTML's data but are drawn only once React has hydrated the
 * page, so rows on screen mean the page's script runs and the search box answers; a search is typed to prove it.
 */
async function measurePage(stack: Stack, say: (l: string) => void): Promise<PageLoads> {
  const browser = await launchChromium();
  try {
    // Once through the sign-in form, as a person would; the loads below reuse its session.
    const first = await browser.newContext({ viewport: { width: 1366, height: 768 } });
    const page = await first.newPage();
    await page.goto(`${stack.url}/login`);
    await page.getByLabel("Email").fill(stack.admin.email);
    await page.getByLabel("Password").fill(stack.admin.password!);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(`${stack.url}/`);
    await page.getByTestId("fleet-row").first().waitFor();
    const cookies = await first.cookies();
    await first.close();

    const fleet: number[] = [];
    const login: number[] = [];
    const searchMs: number[] = [];
    const html: number[] = [];
    const loadedAt: number[] = [];
    let rowsShown = 0;
    // One load of each first, not counted: the server's first render of a route compiles nothing but warms its caches.
    for (let i = 0; i <= PAGE_LOADS; i++) {
      const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
      await context.addCookies(cookies);
      const p = await context.newPage();
      await p.goto(`${stack.url}/`, { waitUntil: "commit" });
      const ready = await p.waitForFunction(() => {
        const rows = document.querySelectorAll('[data-testid="fleet-row"]').length;
        const range = document.querySelector('[data-testid="fleet-range"]')?.textContent ?? "";
        return rows > 0 && /^Rows 1-/.test(range) ? { at: performance.now(), rows } : false;
      }, null, { polling: "raf", timeout: 30_000 });
      const { at, rows } = (await ready.jsonValue()) as { at: number; rows: number };
      const timing = await p.evaluate(() => { const n = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming; return { html: n.responseEnd, loaded: n.loadEventEnd }; });
      // Usable: a search typed now narrows the rows (the box is debounced 300 ms, as a person types).
      const typed = performance.now();
      await p.getByLabel("Search names and hosts").fill("seed-s00042");
      await p.getByTestId("fleet-range").filter({ hasText: /^Rows 1-1 of 1$/ }).waitFor({ timeout: 30_000 });
      const searched = performance.now() - typed;
      await context.close();

      const anonymous = await browser.newContext({ viewport: { width: 1366, height: 768 } });
      const l = await anonymous.newPage();
      await l.goto(`${stack.url}/login`, { waitUntil: "load" });
      await l.getByLabel("Email").waitFor();
      const loaded = await l.evaluate(() => (performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming).loadEventEnd);
      await anonymous.close();
      if (i === 0) continue;
      fleet.push(at);
      login.push(loaded);
      searchMs.push(searched);
      html.push(timing.html);
      loadedAt.push(timing.loaded);
      rowsShown = rows;
      say(`fleet view: page load ${i}: rows on screen at ${at.toFixed(0)} ms; /login loaded at ${loaded.toFixed(0)} ms; search answered in ${searched.toFixed(0)} ms`);
    }
    return { fleet, login, searchMs, rowsShown, html, loaded: loadedAt };
  } finally {
    await browser.close();
  }
}

async function run(ctx: BenchContext): Promise<BenchResult> {
  const suffix = crypto.randomBytes(4).toString("hex");
  const dbName = `fleet_bench_fleet_${suffix}`;
  const databaseUrl = withDatabase(ctx.postgresUrl, dbName);
  const dataDir = path.join(ctx.workDir, `fleet-view-${suffix}`);
  const queuePrefix = `fleet-bench-fleet-${suffix}`;
  fs.mkdirSync(dataDir, { recursive: true });
  let stack: Stack | null = null;
  let client: pg.Client | null = null;
  try {
    await ensureDatabase(databaseUrl);
    await migrateDatabase(databaseUrl);
    const db = createDb(databaseUrl);
    const seedStarted = Date.now();
    const seeded = await seedFleet(db, { count: ctx.flags.fleetSize }).finally(() => db.$disconnect());
    client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    // What autovacuum would do within its first minute: planner statistics for the new rows.
    await client.query("ANALYZE");
    // As runs before this one measured it (the statement is now far below JIT's cost threshold anyway).
    await client.query("SET jit = off");
    ctx.say(`fleet view: seeded ${seeded.appliances} appliances (${seeded.clusters} clusters, ${seeded.standalones} standalone, ${seeded.plans} past plans) in ${((Date.now() - seedStarted) / 1000).toFixed(1)} s`);

    stack = await startStack({
      root: ctx.root, dataDir, databaseUrl, redisUrl: ctx.redisUrl, port: await freePort(), queuePrefix,
      adminPassword: `bench-${suffix}`, quiet: true, say: ctx.say,
    });
    const cookie = await signInCookie(stack.url, stack.admin.email, stack.admin.password!);
    const { body: whole } = await timeApi(stack.url, cookie, {});
    const mix = queryMix(whole.pageCount);
    const rounds = Math.ceil(MIN_REQUESTS / mix.length);
    const api = new Map<string, number[]>(mix.map((q) => [q.name, []]));
    const sql = new Map<string, number[]>(mix.map((q) => [q.name, []]));
    const rowsOf = new Map<string, number>();
    // Side by side, one request at a time: each route call is followed by the same query's statement.
    let busy = machineBusy();
    for (let round = -WARM_ROUNDS; round < rounds; round++) {
      if (round === 0) busy = machineBusy();
      for (const q of mix) {
        const r = await timeApi(stack.url, cookie, q.params);
        const s = await timeStatement(client, q.params);
        rowsOf.set(q.name, r.body.rows.length);
        if (round < 0) continue;
        api.get(q.name)!.push(r.ms);
        sql.get(q.name)!.push(s);
      }
    }
    const apiBusy = busy();
    const ours = summarize([...api.values()].flat());
    const floor = summarize([...sql.values()].flat());
    ctx.say(`fleet view: GET /api/fleet ${describeSummary(ours)}; the statement through pg ${describeSummary(floor)}`);
    const perQuery = mix.map((q) => `${q.name} (${rowsOf.get(q.name)} rows): ${percentile(api.get(q.name)!, 50).toFixed(1)} / ${percentile(api.get(q.name)!, 95).toFixed(1)} ms, statement ${percentile(sql.get(q.name)!, 50).toFixed(1)} ms`);

    const pageBusyOf = machineBusy();
    const loads = await measurePage(stack, ctx.say);
    const pageBusy = pageBusyOf();
    const fleetPage = percentile(loads.fleet, 50);
    const loginPage = percentile(loads.login, 50);
    return {
      rows: rows({ size: seeded.appliances, targets: whole.total, ours, floor, fleetPage, loginPage }),
      notes: notes({ size: seeded.appliances, targets: whole.total, mix, rounds, ours, floor, perQuery, loads, apiBusy, pageBusy }),
    };
  } finally {
    await client?.end().catch(() => {});
    await stack?.stop().catch((e: unknown) => ctx.say(`fleet view: stopping the console: ${String(e)}`));
    await dropDatabase(ctx.postgresUrl, dbName).catch((e: unknown) => ctx.say(`fleet view: dropping ${dbName}: ${String(e)}`));
    await removeQueueKeys(ctx.redisUrl, queuePrefix).catch(() => {});
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

function rows(m: { size: number; targets: number; ours: Summary; floor: Summary; fleetPage: number; loginPage: number }): BenchRow[] {
  const what = `fleet view, ${m.size.toLocaleString("en")} appliances (${m.targets.toLocaleString("en")} rows)`;
  return [
    { id: "5a", figure: `${what}: GET /api/fleet p95, mixed queries (${m.ours.count} sequential requests)`, ours: m.ours.p95, baseline: m.floor.p95, unit: "ms", better: "lower", goal: `p95 < ${API_GOAL_MS} ms`, met: m.ours.p95 < API_GOAL_MS, note: "baseline: the page's SQL statement run directly through pg" },
    { id: "5b", figure: `${what}: GET /api/fleet p50`, ours: m.ours.p50, baseline: m.floor.p50, unit: "ms", better: "lower", goal: "reported (the goal is on p95)", met: true, note: "baseline: the page's SQL statement run directly through pg" },
    { id: "5c", figure: `${what}: the fleet page in Chromium, navigation → first rows on screen and usable (median of ${PAGE_LOADS} fresh loads)`, ours: m.fleetPage, baseline: m.loginPage, unit: "ms", better: "lower", goal: `< ${PAGE_GOAL_MS} ms`, met: m.fleetPage < PAGE_GOAL_MS, note: "baseline: the static sign-in page's load event in the same browser" },
  ];
}

function notes(m: { size: number; targets: number; mix: FleetQueryCase[]; rounds: number; ours: Summary; floor: Summary; perQuery: string[]; loads: PageLoads; apiBusy: number; pageBusy: number }): string[] {
  const ms = (v: number[]) => v.map((x) => x.toFixed(0)).join(", ");
  return [
    `Method: a fresh database seeded by scripts/seed-fleet.ts with ${m.size.toLocaleString("en")} appliances (60 % in 3-node clusters; ${m.targets.toLocaleString("en")} rows: clusters and standalones), then ANALYZE (what autovacuum does within a minute of such an insert), and the console started as \`npm start\` does (next start and a worker). Signed in, one client sends GET /api/fleet, the route the fleet page reads, one request at a time over a kept-alive connection: ${m.mix.length} queries (${m.mix.map((q) => q.name).join("; ")}), ${WARM_ROUNDS} rounds to warm up, then ${m.rounds} rounds timed, each from sending the request to the whole JSON body read. After each request the page's SQL statement for the same query (lib/fleet/fleet-sql.ts: counts, total, the page's rows with their nodes and plans, and the filters' choices, in one statement over the rows the database keeps judged, "FleetTarget") runs straight through pg: the route's floor. The route adds the session check, Prisma, JSON and HTTP.`,
    `Results: GET /api/fleet ${describeSummary(m.ours)}; the statement alone ${describeSummary(m.floor)} (the machine's cores ${(m.apiBusy * 100).toFixed(0)} % busy meanwhile, by /proc/stat). Per query, p50 / p95 of the route and p50 of the statement: ${m.perQuery.join("; ")}.`,
    `The page: headless Chromium (as the e2e journeys run it, 1366×768) signs in through the form once; then each of ${PAGE_LOADS} loads (after one not counted) opens a fresh browser context holding only the session cookie (nothing cached) and navigates to the fleet page. Timed from the navigation's start (performance.timeOrigin) to the first animation frame on which the table shows its rows (${m.loads.rowsShown}) and the row count. The server reads the first page with the HTML, and the view draws those rows once React has hydrated it (never into the HTML), so rows on screen mean the page is interactive; to prove it, a search is then typed and answered (in ${ms(m.loads.searchMs)} ms, including the search box's 300 ms debounce). Loads: ${ms(m.loads.fleet)} ms; of which the HTML (with the first page read on the server) had arrived at ${ms(m.loads.html)} ms and the load event (every script fetched and run) came at ${ms(m.loads.loaded)} ms. Baseline: the sign-in page, the console's static Next page, loaded the same way (its load event: ${ms(m.loads.login)} ms). The machine's cores were ${(m.pageBusy * 100).toFixed(0)} % busy during the loads.`,
    m.ours.p95 < API_GOAL_MS
      ? `The API goal holds: p95 ${m.ours.p95.toFixed(0)} ms < ${API_GOAL_MS} ms.`
      : `The API goal is missed: p95 ${m.ours.p95.toFixed(0)} ms, with the machine's cores ${(m.apiBusy * 100).toFixed(0)} % busy. The page's statement alone, straight through pg, has p95 ${m.floor.p95.toFixed(0)} ms (p50 ${m.floor.p50.toFixed(0)} ms)${m.floor.p95 >= API_GOAL_MS ? ", already over the goal: it bounds the route" : ""}; the route's other work (the session check, Prisma, JSON and HTTP) adds ${(m.ours.p50 - m.floor.p50).toFixed(0)} ms at p50. The statement no longer classifies the fleet per request: each of the ${m.targets.toLocaleString("en")} rows is kept judged in "FleetTarget" by triggers as appliances, clusters and rules change, so a request filters, counts and pages narrow rows; what remains is the machine's load on two cores.`,
    m.loads.fleet.length && percentile(m.loads.fleet, 50) < PAGE_GOAL_MS
      ? `The page goal holds: median ${percentile(m.loads.fleet, 50).toFixed(0)} ms < ${PAGE_GOAL_MS} ms.`
      : `The page goal is missed: median ${percentile(m.loads.fleet, 50).toFixed(0)} ms. What bounds it: the static sign-in page alone needs ${percentile(m.loads.login, 50).toFixed(0)} ms (median) to load and run its scripts on this machine, and the fleet page's load event comes at ${percentile(m.loads.loaded, 50).toFixed(0)} ms (median): its scripts (the console's layout, React Query, the table) are fetched, parsed and hydrated on cores ${(m.pageBusy * 100).toFixed(0)} % busy, and its HTML waits for the server's read of the first page (the route's cost above). The page already draws its first page from the HTML's data once hydrated (no round trip after hydration), and neither its navigation links nor its rows' links prefetch: they used to send about 40 requests for other pages while it came up, each a server render on the same two cores.`,
  ];
}

export const bench: Bench = { id: "5", title: "Fleet view", run };

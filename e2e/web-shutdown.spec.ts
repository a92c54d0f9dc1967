// The web process stops gracefully on SIGTERM. A second `next start` of the same build serves the
// same console; a browser watches a plan's live feed through it. On SIGTERM the server stops taking
// connections, ends the feed with a `shutdown` event and a short retry, and exits through Next's
// own clean path (143) well before the grace (a hang would end at the grace with 1). An event
// written while no server listens reaches the browser after the restart: its EventSource resends
// Last-Event-ID, so nothing is lost and nothing comes twice.
import path from "node:path";
import { expect, test } from "@playwright/test";
import { createDb } from "@/lib/db/client";
import { resetConfig } from "@/lib/config";
import { appendPlanEvent } from "@/lib/events/plan-events";
import { startChild, waitForLine, type Child } from "../scripts/lib/children";
import { freePort } from "../scripts/lib/services";
import { signIn, snap, stack } from "./support";

declare global {
  interface Window { feed: { ids: number[]; shutdowns: string[]; opens: number } }
}

const root = path.resolve(import.meta.dirname, "..");

function startWeb(port: number, env: Record<string, string>): { child: Child; exit: Promise<number | null> } {
  const child = startChild(`web-${port}`, path.join(root, "node_modules/.bin/next"), ["start", "-p", String(port), "-H", "127.0.0.1"], { ...process.env, ...env, FLEET_WEB_SHUTDOWN_GRACE_MS: "60000" }, { quiet: true });
  const exit = new Promise<number | null>((resolve) => child.process.once("exit", (code) => resolve(code)));
  return { child, exit };
}

test("the web server stops gracefully on SIGTERM: the live feed ends with a retry, new connections are refused, and the browser resumes after the restart with nothing lost", async ({ page }, info) => {
  const s = stack();
  Object.assign(process.env, s.webEnv);
  resetConfig();
  const db = createDb(s.databaseUrl);
  const appliance = await db.appliance.findFirstOrThrow({ where: { name: "cm-lon-01" } });
  const plan = await db.upgradePlan.create({ data: { method: "standalone", applianceId: appliance.id, fromVersion: appliance.version ?? "2.10.0+12807", targetVersion: "2.11.0+13003", hops: [], state: "draft", createdBy: "e2e web-shutdown" } });
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  let web = startWeb(port, s.webEnv);
  try {
    await waitForLine(web.child, /Ready in/i, 60_000);
    await signIn(page, { ...s, url: base });
    await page.evaluate((url) => {
      window.feed = { ids: [], shutdowns: [], opens: 0 };
      const source = new EventSource(url);
      source.addEventListener("open", () => { window.feed.opens += 1; });
      source.addEventListener("plan", (e) => window.feed.ids.push(Number((e as MessageEvent).lastEventId)));
      source.addEventListener("shutdown", (e) => window.feed.shutdowns.push(String((e as MessageEvent).data)));
    }, `/api/plans/${plan.id}/events`);
    await appendPlanEvent(db, plan.id, { type: "step-log", data: { line: "before the stop" } });
    await expect.poll(() => page.evaluate(() => window.feed.ids)).toEqual([1]);

    const stoppedAt = Date.now();
    web.child.process.kill("SIGTERM");
    expect(await web.exit).toBe(143);
    info.annotations.push({ type: "stop", description: `SIGTERM to exit with an open event stream: ${Date.now() - stoppedAt} ms` });
    // The open stream ends with it; a reconnect that reached the stopping server on a kept-alive
    // connection is told the same (an EventSource would give up for good on a 503).
    const shutdowns = await page.evaluate(() => window.feed.shutdowns);
    expect(shutdowns.length).toBeGreaterThanOrEqual(1);
    for (const said of shutdowns) expect(JSON.parse(said)).toEqual({ reason: expect.stringContaining("restarting") });
    await expect(fetch(`${base}/login`)).rejects.toThrow();

    await appendPlanEvent(db, plan.id, { type: "step-log", data: { line: "while no server listened" } });
    web = startWeb(port, s.webEnv);
    await waitForLine(web.child, /Ready in/i, 60_000);
    await expect.poll(() => page.evaluate(() => window.feed.ids), { timeout: 30_000 }).toEqual([1, 2]);
    await appendPlanEvent(db, plan.id, { type: "step-log", data: { line: "after the restart" } });
    await expect.poll(() => page.evaluate(() => window.feed.ids)).toEqual([1, 2, 3]);
    expect(await page.evaluate(() => window.feed.opens)).toBeGreaterThanOrEqual(2);
    await snap(page, info, "after-restart");
  } finally {
    await web.child.stop();
    await db.upgradePlan.delete({ where: { id: plan.id } });
    await db.$disconnect();
  }
});

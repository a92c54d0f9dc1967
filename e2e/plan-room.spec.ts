// Issue 6's live plan room: an operator and a viewer watch the same rolling upgrade of a 3-node
// cluster in two browsers. Lanes per node on one time axis, upload progress, the database-lock
// warning before and while the first node upgrades [O3], pause after the current node [O7],
// resume, a failed node retried, the log searched, and a 100,000-line log that does not freeze
// the page. The cluster is this journey's own (started here, enrolled through the API as an admin
// does it), so it does not depend on what the other journeys did to cm-par.
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test, type Browser, type Page } from "@playwright/test";
import { startFleet, type SimulatedFleet } from "@/simulator/fleet";
import { ensureArchive, signIn, snap, stack, type StackInfo } from "./support";

const VIEWPORT = { width: 1366, height: 768 };
test.use({ viewport: VIEWPORT, locale: "en-US" });

const suffix = crypto.randomBytes(3).toString("hex");
const CLUSTER = `cm-room-${suffix}`;
const NAMES = [1, 2, 3].map((i) => `${CLUSTER}-${i}`);
const V11 = "2.11.0+13003";
let fleet: SimulatedFleet | null = null;
let roomPlanId: string | null = null;

test.afterAll(async () => {
  await fleet?.stop();
});

async function signInAs(browser: Browser, s: StackInfo, user: { email: string; password: string }): Promise<Page> {
  const context = await browser.newContext({ viewport: VIEWPORT, locale: "en-US" });
  const page = await context.newPage();
  await page.goto(`${s.url}/login`);
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(`${s.url}/`);
  return page;
}

/** Starts a simulated 3-node cluster on 2.10 and enrols it from its first node, as an admin would. */
async function enrolOwnCluster(admin: Page): Promise<{ entryId: string; clusterId: string }> {
  const identity = await (await admin.request.post("/api/ssh-identities", { data: { name: `plan-room-${suffix}` } })).json() as { id: string; publicKey: string };
  fleet = await startFleet({
    stateDir: fs.mkdtempSync(path.join(os.tmpdir(), "plan-room-")),
    // Node 1 is slow to come back, so the journey has time to ask for the pause while it is in flight.
    timeScale: 0.01,
    defaults: { authorizedKeys: [identity.publicKey] },
    clusters: [{ name: CLUSTER, defaults: { version: "2.10.0+12807" }, nodes: NAMES.map((name, i) => ({ name, host: `127.0.0.${61 + i}`, ...(i === 0 ? { faults: { slowReturn: 2000 } } : {}) })) }],
  });
  const entry = fleet.clusters[0]!.nodes[0]!;
  const seen = await (await admin.request.post("/api/appliances/probe", { data: { host: entry.host, sshPort: entry.sshPort, restUrl: entry.restUrl } })).json() as { sshHostKeyFingerprint: string; restCertFingerprint: string };
  const enrolled = await admin.request.post("/api/appliances", { data: {
    name: NAMES[0], host: entry.host, sshPort: entry.sshPort, restUrl: entry.restUrl, sshIdentityId: identity.id, restUsername: "admin", restPassword: "admin",
    acceptedSshHostKeyFingerprint: seen.sshHostKeyFingerprint, acceptedRestCertFingerprint: seen.restCertFingerprint,
  } });
  expect(enrolled.status(), await enrolled.text()).toBe(201);
  const entryId = ((await enrolled.json()) as { id: string }).id;
  const found = await (await admin.request.post("/api/clusters/discover", { data: { entryApplianceId: entryId } })).json() as { members: { nodeId: string; host: string; sshPort: number; restUrl: string; isEntry: boolean; probe: { sshHostKeyFingerprint: string; restCertFingerprint: string } }[] };
  const members = found.members.filter((m) => !m.isEntry).map((m) => ({
    nodeId: m.nodeId, name: fleet!.clusters[0]!.nodes.find((n) => n.host === m.host)!.name, host: m.host, sshPort: m.sshPort, restUrl: m.restUrl,
    acceptedSshHostKeyFingerprint: m.probe.sshHostKeyFingerprint, acceptedRestCertFingerprint: m.probe.restCertFingerprint,
  }));
  const confirmed = await admin.request.post("/api/clusters", { data: { entryApplianceId: entryId, clusterName: CLUSTER, members } });
  expect(confirmed.status(), await confirmed.text()).toBe(201);
  return { entryId, clusterId: ((await confirmed.json()) as { clusterId: string }).clusterId };
}

const upgradesOn = (name: string) => fleet!.get(name)!.record.filter((r) => r.what.includes("ks_upgrade.sh")).length;

/** What a person sees of the lanes: each node's state and the step it is at. */
async function lanesSeen(page: Page): Promise<string[]> {
  const lanes = page.getByRole("list", { name: "Nodes" }).getByRole("listitem");
  const out: string[] = [];
  for (const lane of await lanes.all()) out.push(`${await lane.getAttribute("data-testid")} ${await lane.getAttribute("data-state")}: ${await lane.getByTestId("lane-current").textContent()}`);
  return out;
}

test("an operator and a viewer watch a rolling upgrade in the plan room: lanes, warning, pause after a node, resume, retry", async ({ page, browser }, info) => {
  test.setTimeout(360_000);
  const s = stack();
  await signIn(page, s);
  await ensureArchive(page, s);
  const { clusterId } = await enrolOwnCluster(page);
  const operator = { email: `room-operator-${suffix}@e2e.local`, password: "room-operator-password" };
  const viewer = { email: `room-viewer-${suffix}@e2e.local`, password: "room-viewer-password" };
  for (const [u, role] of [[operator, "operator"], [viewer, "viewer"]] as const) {
    const res = await page.request.post("/api/users", { data: { ...u, name: `Room ${role}`, role } });
    expect(res.status(), await res.text()).toBe(201);
  }

  // The operator plans the rolling upgrade; the viewer opens the same room.
  const op = await signInAs(browser, s, operator);
  const created = await op.request.post("/api/plans", { data: { clusterId, targetVersion: V11, method: "online-rolling" } });
  expect(created.status(), await created.text()).toBe(201);
  roomPlanId = ((await created.json()) as { id: string }).id;
  const planUrl = `${s.url}/plans/${roomPlanId}`;
  await op.goto(planUrl);
  const view = await signInAs(browser, s, viewer);
  await view.goto(planUrl);

  // Before launch: one lane per node in the plan's order, nothing on the axis yet, the lock announced ahead [O3].
  await op.getByRole("button", { name: "Create and download backup" }).click();
  await expect(op.getByTestId("backups")).toContainText("and its key, downloaded by");
  for (const p of [op, view]) {
    await expect(p.getByRole("list", { name: "Nodes" }).getByRole("listitem")).toHaveCount(4);
    await expect(p.getByTestId("warning-database-lock")).toHaveAttribute("data-phase", "upcoming");
    await expect(p.getByTestId("warning-database-lock")).toContainText(`When ${NAMES[0]}, the first node, upgrades`);
  }
  expect(await op.getByRole("list", { name: "Nodes" }).getByRole("listitem").evaluateAll((els) => els.map((e) => e.getAttribute("data-testid")))).toEqual(["lane-Whole cluster", ...NAMES.map((n) => `lane-${n}`)]);
  // The viewer may watch but not act: every control says why.
  await expect(view.getByRole("button", { name: "Launch" })).toBeDisabled();
  await expect(view.getByTestId("control-role")).toHaveText("Your role (viewer) may watch this plan but not change it: that needs the plans:write permission.");
  await expect(view.getByRole("button", { name: "Abort..." })).toBeDisabled();
  await snap(op, info, "01-ready-lock-ahead");

  // Launched: the first node's upgrade locks the shared database, said while it happens.
  await op.getByRole("button", { name: "Launch" }).click();
  const lock = op.getByTestId("warning-database-lock");
  await expect(lock).toHaveAttribute("data-phase", "now", { timeout: 90_000 });
  await expect(lock).toContainText(`Warning: The first node is upgrading (${NAMES[0]})`);
  await expect(op.getByTestId(`lane-${NAMES[0]}`)).toHaveAttribute("data-state", "running");
  await expect(op.getByTestId(`lane-${NAMES[0]}`).getByTestId("lane-current")).toContainText(/Now: (Run ks_upgrade\.sh|Reboot|Wait for)/);
  // Uploads ran ahead on every node: bytes, rate and how long it took.
  for (const name of NAMES) await expect(op.getByTestId(`lane-${name}`).getByTestId("upload-progress-numbers")).toContainText(/8\.0 MiB of 8\.0 MiB · [\d.]+ (KiB|MiB|GiB)\/s · done in/);
  await expect(op.getByTestId(`lane-${NAMES[0]}`).getByTestId("segment").first()).toBeVisible();
  await snap(op, info, "02-first-node-locks-database");

  // Pause after this node: node 1 is finished, nodes 2 and 3 are held back [O7].
  await expect(op.getByTestId("control-pause-note")).toHaveText(`Finishes ${NAMES[0]}, then stops before ${NAMES[1]}, ${NAMES[2]}.`);
  await op.getByRole("button", { name: "Pause after this node" }).click();
  for (const p of [op, view]) await expect(p.getByTestId("pause-asked")).toContainText(`Pause asked: Finishes ${NAMES[0]}, then stops before ${NAMES[1]}, ${NAMES[2]}.`);
  await expect(op.getByRole("button", { name: "Cancel the pause" })).toBeEnabled();
  await expect(view.getByRole("button", { name: "Cancel the pause" })).toBeDisabled();
  await snap(view, info, "03-viewer-sees-pause-asked");

  const reason = `Paused after the current node, as an operator asked. Upgraded: ${NAMES[0]}. Not touched: ${NAMES[1]}, ${NAMES[2]}. Resume the plan to go on, or abort it.`;
  for (const p of [op, view]) {
    await expect(p.getByTestId("plan-state")).toHaveText("paused", { timeout: 120_000 });
    await expect(p.getByTestId("plan-reason")).toHaveText(reason);
    await expect(p.getByTestId(`lane-${NAMES[0]}`)).toHaveAttribute("data-state", "done");
    for (const name of NAMES.slice(1)) await expect(p.getByTestId(`lane-${name}`)).toHaveAttribute("data-state", "untouched");
    await expect(p.getByTestId("warning-database-lock")).toHaveCount(0);
  }
  // Two people, one truth: the viewer's lanes are the operator's, step for step.
  expect(await lanesSeen(view)).toEqual(await lanesSeen(op));
  // The simulator's own record: the held-back nodes never ran the script.
  expect(NAMES.map(upgradesOn)).toEqual([1, 0, 0]);
  await expect(view.getByRole("button", { name: "Resume", exact: true })).toBeDisabled();
  await expect(op.getByTestId("control-pause-note")).toHaveText("Only a running plan can pause after its current node; this one is paused.");
  await snap(op, info, "04-paused-after-node-1");
  await snap(view, info, "05-viewer-same-lanes");

  // The log: search highlights matches and can show only the matching lines.
  await op.getByLabel("Search the log").fill("ks_upgrade.sh");
  await expect(op.getByTestId("log-matches")).toContainText(/\d+ matching lines?/);
  await expect(op.getByTestId("log-tail").locator("mark").first()).toHaveText("ks_upgrade.sh");
  await snap(op, info, "06-log-search");
  await op.getByLabel("Search the log").fill("");

  // Node 3 will fail; resume goes on with node 2, then stops truthfully at node 3.
  await fleet!.get(NAMES[2]!)!.setFaults({ upgradeFails: true });
  await op.getByRole("button", { name: "Resume", exact: true }).click();
  for (const p of [op, view]) await expect(p.getByTestId("plan-state")).toHaveText("failed", { timeout: 120_000 });
  const failedLane = op.getByTestId(`lane-${NAMES[2]}`);
  await expect(failedLane).toHaveAttribute("data-state", "failed");
  await expect(failedLane.getByTestId("lane-current")).toContainText("Failed: Run ks_upgrade.sh");
  await expect(op.getByTestId(`lane-${NAMES[1]}`)).toHaveAttribute("data-state", "done");
  await expect(view.getByRole("button", { name: `Retry ${NAMES[2]}` })).toBeDisabled();
  await expect(failedLane.getByRole("button", { name: `Retry ${NAMES[2]}` })).toBeEnabled();
  await expect(failedLane).toContainText(`Runs again: Run ks_upgrade.sh to ${V11} on ${NAMES[2]}. It observes the node first, then the plan goes on.`);
  await snap(op, info, "07-node-3-failed-retry");

  // The cause is gone: retry only that node; the plan finishes and everyone sees it.
  await fleet!.get(NAMES[2]!)!.setFaults({ upgradeFails: false });
  await failedLane.getByRole("button", { name: `Retry ${NAMES[2]}` }).click();
  for (const p of [op, view]) {
    await expect(p.getByTestId("plan-state")).toHaveText("succeeded", { timeout: 120_000 });
    for (const name of NAMES) await expect(p.getByTestId(`lane-${name}`)).toHaveAttribute("data-state", "done");
  }
  expect(await lanesSeen(view)).toEqual(await lanesSeen(op));
  expect(NAMES.map(upgradesOn)).toEqual([1, 1, 2]);
  await snap(op, info, "08-succeeded");
});

test("a 100,000-line log neither freezes the room nor fills the page", async ({ page }, info) => {
  const s = stack();
  await signIn(page, s);
  // The journey's own plan when it ran first; else any plan; else a fresh one for cm-fra-01.
  const plans = await (await page.request.get("/api/plans")).json() as { id: string }[];
  let planId = roomPlanId ?? plans[0]?.id;
  if (!planId) {
    await ensureArchive(page, s, "2.10.0+12807");
    const fra = (await (await page.request.get("/api/appliances")).json() as { id: string; name: string }[]).find((a) => a.name === "cm-fra-01")!;
    const created = await page.request.post("/api/plans", { data: { applianceId: fra.id, targetVersion: "2.10.0+12807" } });
    expect(created.status(), await created.text()).toBe(201);
    planId = ((await created.json()) as { id: string }).id;
  }
  // The first connection replays a huge synthetic log; a reconnect goes to the real server.
  const TOTAL = 100_000;
  let served = false;
  await page.route(`**/api/plans/${planId}/events`, async (route) => {
    if (served) return route.continue();
    served = true;
    const body = Array.from({ length: TOTAL }, (_, i) => `id: ${i + 1}\nevent: plan\ndata: ${JSON.stringify({ seq: i + 1, type: "step-log", stepKey: null, data: { line: `synthetic line ${i + 1} of the long log` }, at: new Date().toISOString() })}\n\n`).join("");
    await route.fulfill({ status: 200, headers: { "content-type": "text/event-stream", "cache-control": "no-cache" }, body: `retry: 60000\n\n${body}` });
  });
  await page.goto(`${s.url}/plans/${planId}`);
  await expect(page.getByTestId("log-window")).toHaveText("Showing the last 2,000 of 100,000 lines received. Click a step or a segment for that step's stored output.", { timeout: 60_000 });
  const tail = page.getByTestId("log-tail");
  await expect(tail).toContainText(`synthetic line ${TOTAL} of the long log`);
  expect(await tail.evaluate((el) => el.textContent!.trim().split("\n").length)).toBe(2_000);
  // Still answering: a search runs over the lines kept in memory and shows one match.
  await page.getByLabel("Search the log").fill(`line ${TOTAL - 3} of`);
  await expect(page.getByTestId("log-matches")).toHaveText("1 matching line");
  await expect(tail.locator("mark")).toHaveText(`line ${TOTAL - 3} of`);
  await snap(page, info, "09-100k-line-log");
});

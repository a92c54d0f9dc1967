// Issue 6: a multi-MB archive uploaded from the browser shows its bytes, rate and time left, then
// the signature check's own progress; a refused one says why. Then the plan wizard, by keyboard
// alone, takes a standalone appliance from 2.10 to 2.12: version and methods, prechecks per node
// with evidence, a backup with its download, no window needed, a review, Launch, and the plan
// succeeds in the plan room. The appliance is this journey's own (started and enrolled here), so
// it does not depend on what the other journeys did to the demo fleet.
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test, type Locator, type Page } from "@playwright/test";
import { flipByte, makeSignedArchive } from "@/simulator/archives";
import { startAppliance, type SimulatedAppliance } from "@/simulator/appliance";
import { startFleet, type SimulatedFleet } from "@/simulator/fleet";
import { ensureArchive, signIn, snap, stack } from "./support";

const MiB = 1024 * 1024;
const VERSION = "2.12.0+14000";
/** Uploaded with a detached .sig: verified, but no appliance can take it. */
const DETACHED_VERSION = "2.12.2+14200";
const APPLIANCE = `cm-wiz-${crypto.randomBytes(3).toString("hex")}`;
const CLUSTER = `cm-wizc-${crypto.randomBytes(3).toString("hex")}`;
let sim: SimulatedAppliance | null = null;
let fleet: SimulatedFleet | null = null;

test.afterAll(async () => {
  await sim?.stop();
  await fleet?.stop();
});

/** Starts a simulated appliance on 2.10 and enrols it through the API, as an admin would. */
async function enrolOwnAppliance(page: Page): Promise<void> {
  const identity = await (await page.request.post("/api/ssh-identities", { data: { name: `${APPLIANCE}-key` } })).json() as { id: string; publicKey: string };
  sim = await startAppliance({ name: APPLIANCE, version: "2.10.0+12807", stateDir: fs.mkdtempSync(path.join(os.tmpdir(), "wizard-sim-")), timeScale: 0.01, authorizedKeys: [identity.publicKey] });
  const seen = await (await page.request.post("/api/appliances/probe", { data: { host: sim.host, sshPort: sim.sshPort, restUrl: sim.restUrl } })).json() as { sshHostKeyFingerprint: string; restCertFingerprint: string };
  const enrolled = await page.request.post("/api/appliances", { data: {
    name: APPLIANCE, host: sim.host, sshPort: sim.sshPort, restUrl: sim.restUrl, sshIdentityId: identity.id, restUsername: "admin", restPassword: "admin",
    acceptedSshHostKeyFingerprint: seen.sshHostKeyFingerprint, acceptedRestCertFingerprint: seen.restCertFingerprint,
  } });
  expect(enrolled.status(), await enrolled.text()).toBe(201);
}

/** Presses Tab until `target` has the focus: proof that a keyboard reaches it. */
async function tabTo(page: Page, target: Locator, max = 80): Promise<void> {
  for (let i = 0; i < max; i++) {
    if (await target.evaluate((el) => el === document.activeElement).catch(() => false)) return;
    await page.keyboard.press("Tab");
  }
  throw new Error(`Tab never reached ${target.toString()} in ${max} presses`);
}

test.describe.configure({ mode: "serial" });

test("an operator uploads a 48 MiB archive and watches the upload, then the signature check", async ({ page }, info) => {
  const s = stack();
  await signIn(page, s);
  await ensureArchive(page, s);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wizard-archives-"));
  const good = await makeSignedArchive({ dir, version: VERSION, sizeBytes: 48 * MiB });
  // The browser sends at 16 MiB/s, so the upload lasts long enough to be watched.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: 16 * MiB });
  await page.getByLabel("Archive file").setInputFiles(good.path);
  await page.getByRole("button", { name: "Upload and verify" }).click();
  const upload = page.getByTestId("upload-progress");
  await expect(upload.getByRole("progressbar")).toHaveAttribute("aria-valuetext", /of 48\.0 MiB · [\d.]+ [KM]iB\/s · about .* left/);
  await snap(page, info, "01-uploading");
  await expect(upload).toHaveAttribute("data-done", "true");
  await expect(page.getByTestId("verify-progress")).toBeVisible();
  await snap(page, info, "02-verifying");
  await expect(page.getByRole("status")).toContainText(`Verified: ${good.fileName} is version ${VERSION}`);
  await expect(page.getByTestId("verify-progress")).toHaveAttribute("data-done", "true");
  await expect(page.getByTestId("verify-progress-numbers")).toContainText("48.0 MiB of 48.0 MiB");
  await expect(page.getByRole("status")).toContainText(/48\.0 MiB checked in [\d.]+ s/);
  await snap(page, info, "03-verified");

  await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
  const bad = await makeSignedArchive({ dir, version: "2.12.1+14100", sizeBytes: 4 * MiB });
  await flipByte(bad.path, bad.sizeBytes - 40);
  await page.getByLabel("Archive file").setInputFiles(bad.path);
  await page.getByRole("button", { name: "Upload and verify" }).click();
  await expect(page.getByRole("status")).toContainText("Refused:");
  await expect(page.getByRole("status")).toContainText("Nothing was kept");
  await expect(page.getByTestId("verify-progress")).toHaveAttribute("data-done", "true");
  await snap(page, info, "04-refused");
  await expect(page.getByRole("row", { name: new RegExp(`${VERSION.replace("+", "\\+")}.*verified`) })).toBeVisible();

  // A .tar.gz chosen with its detached .sig verifies, but ks_upgrade.sh checks the signature
  // inside the file, so the archive is listed as catalog only and no picker offers its version.
  const detached = await makeSignedArchive({ dir, version: DETACHED_VERSION, sizeBytes: 1 * MiB, format: "detached" });
  await page.getByLabel("Archive file").setInputFiles([detached.path, detached.signaturePath!]);
  await page.getByRole("button", { name: "Upload and verify" }).click();
  await expect(page.getByRole("status")).toContainText(`Verified: ${detached.fileName}`);
  await expect(page.getByRole("status")).toContainText("It is kept in the catalog only");
  const row = page.getByRole("row", { name: new RegExp(DETACHED_VERSION.replace("+", "\\+")) });
  await expect(row.getByTestId("catalog-only")).toContainText("verified · catalog only");
  await expect(row).toContainText("Upload the vendor's signed .tar.gz.gpg");
  await snap(page, info, "05-catalog-only");
});

test("an operator plans and launches an upgrade through the wizard with the keyboard alone", async ({ page }, info) => {
  const s = stack();
  await signIn(page, s);
  await enrolOwnAppliance(page);
  await page.reload();
  await page.getByRole("link", { name: APPLIANCE, exact: true }).click();
  const wizard = page.getByTestId("plan-wizard");
  await expect(wizard).toHaveAttribute("data-step", "version");
  const from = "2.10.0+12807";
  await expect(page.getByTestId("appliance-version")).toHaveText(from);

  // Version: typed into the focused list, as a keyboard user picks an option.
  const select = page.getByLabel("Target version (from verified archives)");
  await expect(select.locator("option", { hasText: DETACHED_VERSION })).toHaveCount(0);
  await expect(wizard.getByTestId("catalog-only-versions")).toContainText(`${DETACHED_VERSION} is not offered`);
  await tabTo(page, select);
  await page.keyboard.type("2.12");
  await expect(select).toHaveValue(VERSION);
  const standalone = page.getByTestId("method-standalone");
  await expect(standalone).toContainText("suggested");
  await expect(standalone.getByRole("radio")).toBeChecked();
  await expect(standalone.getByTestId("downtime")).toContainText("about");
  await expect(standalone).toContainText("Clients lose the service");
  await expect(standalone).toContainText(`hop 1: ks_upgrade_${VERSION}`);
  await expect(page.getByTestId("method-online-rolling")).toContainText("Why not:");
  await expect(page.getByTestId("method-downgrade")).toContainText("not available");
  await snap(page, info, "01-version-and-methods");
  await tabTo(page, page.getByRole("button", { name: "Next: create the draft plan and take prechecks" }));
  await page.keyboard.press("Enter");

  // Prechecks: each node's observation, then every check with its evidence.
  await expect(wizard).toHaveAttribute("data-step", "prechecks");
  await expect(page.getByRole("heading", { name: "3. Prechecks" })).toBeFocused();
  await expect(page).toHaveURL(/\?plan=/);
  await expect(page.getByTestId(`precheck-node-${APPLIANCE}`)).toHaveAttribute("data-state", "done");
  await expect(page.getByTestId(`precheck-node-${APPLIANCE}`)).toContainText("SSH answered; REST answered");
  await expect(page.getByTestId("precheck-disk-space")).toContainText("pass");
  await expect(page.getByTestId("precheck-backup")).toContainText("warn");
  await snap(page, info, "02-prechecks");
  await tabTo(page, page.getByRole("button", { name: "Next: backup" }));
  await page.keyboard.press("Enter");

  // Backup: made, downloaded with its bytes, stored with its sha256.
  await expect(page.getByRole("heading", { name: "4. Backup" })).toBeFocused();
  await tabTo(page, page.getByRole("button", { name: "Create and download backup" }));
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("backup-progress")).toBeVisible();
  await expect(page.getByTestId("backup-progress")).toHaveAttribute("data-phase", "done");
  await expect(page.getByTestId("backup-progress")).toContainText(/downloaded with its key: [\d.]+ KiB, sha256 [0-9a-f]{64}/);
  await snap(page, info, "03-backup");
  await tabTo(page, page.getByRole("button", { name: "Next: maintenance window" }));
  await page.keyboard.press("Enter");

  await expect(page.getByRole("heading", { name: "5. Window" })).toBeFocused();
  await expect(page.getByTestId("wizard-window")).toContainText("Not needed");
  await tabTo(page, page.getByRole("button", { name: "Next: review" }));
  await page.keyboard.press("Enter");

  // Review: everything on one screen, then Launch.
  await expect(page.getByRole("heading", { name: "6. Review and launch" })).toBeFocused();
  const review = page.getByTestId("review");
  await expect(review).toContainText(`${from} → ${VERSION}`);
  await expect(review).toContainText("Standalone upgrade");
  await expect(review).toContainText("signature verified");
  await expect(page.getByTestId("review-prechecks")).toContainText(", 0 failed");
  await expect(review).toContainText(/Backup .* and its key/);
  await expect(review).toContainText("Not needed");
  await snap(page, info, "04-review");
  await tabTo(page, page.getByRole("button", { name: "Launch now" }));
  await page.keyboard.press("Enter");

  await page.waitForURL(/\/plans\/[0-9a-f-]+$/);
  await expect(page.getByTestId("plan-state")).toContainText(/running|succeeded/);
  await expect(page.getByTestId("plan-state")).toContainText("succeeded", { timeout: 150_000 });
  await snap(page, info, "05-succeeded");
});

/** A simulated 3-node cluster of this journey's own, enrolled from its first node as an admin does. */
async function enrolOwnCluster(page: Page): Promise<string> {
  const identity = await (await page.request.post("/api/ssh-identities", { data: { name: `${CLUSTER}-key` } })).json() as { id: string; publicKey: string };
  fleet = await startFleet({
    stateDir: fs.mkdtempSync(path.join(os.tmpdir(), "wizard-cluster-")), timeScale: 0.01, defaults: { authorizedKeys: [identity.publicKey] },
    clusters: [{ name: CLUSTER, defaults: { version: "2.10.0+12807" }, nodes: [1, 2, 3].map((i) => ({ name: `${CLUSTER}-${i}`, host: `127.0.0.${70 + i}` })) }],
  });
  const entry = fleet.clusters[0]!.nodes[0]!;
  const seen = await (await page.request.post("/api/appliances/probe", { data: { host: entry.host, sshPort: entry.sshPort, restUrl: entry.restUrl } })).json() as { sshHostKeyFingerprint: string; restCertFingerprint: string };
  const enrolled = await page.request.post("/api/appliances", { data: {
    name: entry.name, host: entry.host, sshPort: entry.sshPort, restUrl: entry.restUrl, sshIdentityId: identity.id, restUsername: "admin", restPassword: "admin",
    acceptedSshHostKeyFingerprint: seen.sshHostKeyFingerprint, acceptedRestCertFingerprint: seen.restCertFingerprint,
  } });
  expect(enrolled.status(), await enrolled.text()).toBe(201);
  const entryId = ((await enrolled.json()) as { id: string }).id;
  const found = await (await page.request.post("/api/clusters/discover", { data: { entryApplianceId: entryId } })).json() as { members: { nodeId: string; host: string; sshPort: number; restUrl: string; isEntry: boolean; probe: { sshHostKeyFingerprint: string; restCertFingerprint: string } }[] };
  const members = found.members.filter((m) => !m.isEntry).map((m) => ({
    nodeId: m.nodeId, name: fleet!.clusters[0]!.nodes.find((n) => n.host === m.host)!.name, host: m.host, sshPort: m.sshPort, restUrl: m.restUrl,
    acceptedSshHostKeyFingerprint: m.probe.sshHostKeyFingerprint, acceptedRestCertFingerprint: m.probe.restCertFingerprint,
  }));
  const confirmed = await page.request.post("/api/clusters", { data: { entryApplianceId: entryId, clusterName: CLUSTER, members } });
  expect(confirmed.status(), await confirmed.text()).toBe(201);
  return entryId;
}

test("the wizard takes prechecks across a cluster and shows each node's observation", async ({ page }, info) => {
  const s = stack();
  await signIn(page, s);
  await ensureArchive(page, s);
  const entryId = await enrolOwnCluster(page);
  await page.goto(`${s.url}/appliances/${entryId}`);
  await page.getByRole("navigation", { name: "Plan wizard steps" }).getByRole("button", { name: /Target/ }).click();
  for (const i of [1, 2, 3]) await expect(page.getByRole("list", { name: "Nodes of this plan" })).toContainText(`${CLUSTER}-${i}`);
  await page.getByRole("button", { name: "Next: version and method" }).click();
  await page.getByLabel("Target version (from verified archives)").selectOption("2.11.0+13003");
  await expect(page.getByTestId("method-online-rolling")).toContainText("suggested");
  await expect(page.getByTestId("method-online-rolling")).toContainText("Clients are served throughout");
  await expect(page.getByTestId("method-standalone")).toContainText("Why not:");
  await page.getByRole("button", { name: "Next: create the draft plan and take prechecks" }).click();
  await expect(page.getByTestId("plan-wizard")).toHaveAttribute("data-step", "prechecks");
  const nodes = page.getByRole("list", { name: "Prechecks per node" });
  for (const i of [1, 2, 3]) {
    await expect(nodes.getByTestId(`precheck-node-${CLUSTER}-${i}`)).toHaveAttribute("data-state", "done");
    await expect(nodes.getByTestId(`precheck-node-${CLUSTER}-${i}`)).toContainText("2.10.0+12807; SSH answered; REST answered");
  }
  await expect(page.getByTestId("precheck-nodes")).toContainText("Observed 3 nodes");
  await snap(page, info, "cluster-prechecks");
});

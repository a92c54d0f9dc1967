// Notifications from real work: standalone plans run by the in-process worker against simulated
// appliances, a maintenance window requested, a campaign wave waiting for its approver. Each event
// reaches a real HTTP receiver once per webhook, in both formats, signed, in the order it happened.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startConsoleFixture, type ConsoleFixture } from "@/lib/testing/console-fixture";
import { startEnrolledAppliance, type EnrolledSimulator } from "@/lib/testing/simulated-appliance";
import { waitForPlanState } from "@/lib/testing/in-process-worker";
import { startTaggedAppliance, waitFor } from "@/lib/testing/campaign-run";
import { hasValidSignature, startWebhookReceiver, type ReceivedCall, type WebhookReceiver } from "@/lib/testing/webhook-receiver";
import { createPlan } from "@/lib/plans/create-plan";
import { confirmBackup } from "@/lib/plans/confirm-backup";
import { launchPlan } from "@/lib/plans/launch-plan";
import { requestWindow } from "@/lib/windows/windows";
import { CreateCampaignSchema } from "@/lib/campaigns/campaign-input";
import { createCampaign } from "@/lib/campaigns/create-campaign";
import { abortCampaign, launchCampaign } from "@/lib/campaigns/control-campaign";
import { settleCampaignWork } from "@/lib/campaigns/advance-campaign";
import { startWebhookWorker, type WebhookWorker } from "@/workers/webhook-worker";
import { NOTIFICATION_EVENTS } from "@/lib/domain/notifications";
import { createWebhook, CreateWebhookSchema } from "./webhooks";
import { emitNotification } from "./emit-notification";

process.env.FLEET_WEBHOOK_BACKOFF_MS = "50";
process.env.FLEET_CONSOLE_URL = "https://console.test";

let f: ConsoleFixture;
let receiver: WebhookReceiver;
let worker: WebhookWorker;
const sims: EnrolledSimulator[] = [];
const hooks: Record<"json" | "chat", { id: string; secret: string }> = {} as never;

/** What one webhook received about one plan (by its id in the body), in arrival order. */
function received(format: "json" | "chat", planId: string): ReceivedCall[] {
  return receiver.callsTo(`/${format}`).filter((c) => c.body.includes(planId));
}
const eventsOf = (calls: ReceivedCall[]) => calls.map((c) => c.headers["x-fleet-event"]);

/** Waits until nothing is pending, so what the receiver holds is all there is. */
const allSettled = () => waitFor("deliveries settled", async () => (await f.env.db.webhookDelivery.count({ where: { state: "pending" } })) === 0);

async function appliance(name: string, extra: Record<string, unknown> = {}) {
  const s = await startEnrolledAppliance(f.env.db, f.env.dataDir, { name, version: "2.10.0+12807", ...extra });
  sims.push(s);
  return s;
}

/** Runs a plan to its end, then waits for `deliveries` settled deliveries about it (the last is emitted just after the end). */
async function runPlan(applianceId: string, states: string[], deliveries: number) {
  const plan = await createPlan(f.env.db, f.actor, { applianceId, targetVersion: "2.11.0+13003" });
  await confirmBackup(f.env.db, f.actor, plan.id);
  await launchPlan(f.env.db, f.actor, plan.id);
  const state = await waitForPlanState(f.env.db, plan.id, states, 90_000);
  await waitFor(`${deliveries} deliveries about the plan`, async () => (await f.env.db.webhookDelivery.count({ where: { dedupeKey: { contains: plan.id }, state: { not: "pending" } } })) >= deliveries);
  await allSettled();
  return { plan, state };
}

beforeAll(async () => {
  f = await startConsoleFixture("plan-notifications", { deadlineScale: 0.01, archives: ["2.10.0+12807", "2.11.0+13003"] });
  receiver = await startWebhookReceiver();
  worker = startWebhookWorker(f.env.db);
  for (const format of ["json", "chat"] as const) {
    const w = await createWebhook(f.env.db, f.actor, CreateWebhookSchema.parse({ name: `all-${format}`, url: `${receiver.url}/${format}`, format, events: [...NOTIFICATION_EVENTS] }));
    hooks[format] = { id: w.id, secret: w.secret };
  }
  // Subscribed to nothing that happens here: it must receive nothing.
  await createWebhook(f.env.db, f.actor, CreateWebhookSchema.parse({ name: "approvals-only", url: `${receiver.url}/approvals`, events: ["approval-needed"] }));
});

afterAll(async () => {
  await settleCampaignWork();
  await worker?.stop();
  await f?.stop();
  await settleCampaignWork();
  await Promise.all(sims.map((s) => s.sim.stop()));
  await receiver?.stop();
});

describe("notifications from plans", () => {
  it("a standalone plan sends plan-started, then plan-finished, once per webhook, in both formats, signed", async () => {
    const { applianceId } = await appliance("nf-ok");
    const { plan, state } = await runPlan(applianceId, ["succeeded", "failed"], 4);
    expect(state).toBe("succeeded");
    const url = `https://console.test/plans/${plan.id}`;
    const planFacts = { id: plan.id, method: "standalone", target: "nf-ok", from: "2.10.0+12807", to: "2.11.0+13003", url };

    const json = received("json", plan.id);
    expect(eventsOf(json)).toEqual(["plan-started", "plan-finished"]);
    expect(json.map((c) => c.json)).toEqual([
      { event: "plan-started", at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), plan: { ...planFacts, state: "running" } },
      { event: "plan-finished", at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), plan: { ...planFacts, state: "succeeded" } },
    ]);
    const chat = received("chat", plan.id);
    expect(eventsOf(chat)).toEqual(["plan-started", "plan-finished"]);
    expect(chat.map((c) => c.json)).toEqual([
      { text: `Plan started: nf-ok 2.10.0+12807 → 2.11.0+13003 (standalone). Watch: ${url}` },
      { text: `Plan succeeded: nf-ok 2.10.0+12807 → 2.11.0+13003 (standalone). Report: ${url}/report` },
    ]);
    for (const format of ["json", "chat"] as const) {
      for (const call of received(format, plan.id)) expect(hasValidSignature(call, hooks[format].secret)).toBe(true);
      const rows = await f.env.db.webhookDelivery.findMany({ where: { webhookId: hooks[format].id, dedupeKey: { contains: plan.id } } });
      expect(rows.map((r) => [r.event, r.state, r.attempts]).sort()).toEqual([["plan-finished", "delivered", 1], ["plan-started", "delivered", 1]]);
    }
    expect(receiver.callsTo("/approvals")).toHaveLength(0);
  });

  it("a node that fails sends node-failed with the node, the step and the appliance's words, then plan-finished", async () => {
    const { applianceId } = await appliance("nf-bad", { faults: { upgradeFails: true } });
    const { plan, state } = await runPlan(applianceId, ["failed", "succeeded"], 6);
    expect(state).toBe("failed");
    const json = received("json", plan.id);
    expect(eventsOf(json)).toEqual(["plan-started", "node-failed", "plan-finished"]);
    const failedStep = await f.env.db.step.findFirstOrThrow({ where: { planId: plan.id, state: "failed" } });
    expect(json[1]!.json).toMatchObject({
      event: "node-failed",
      plan: { id: plan.id, target: "nf-bad" },
      node: { id: applianceId, name: "nf-bad", step: failedStep.title },
      reason: failedStep.outcome,
    });
    expect(failedStep.outcome).toMatch(/ks_upgrade\.sh exited 1/);
    expect(json[2]!.json).toMatchObject({ event: "plan-finished", plan: { state: "failed" }, reason: expect.stringContaining(failedStep.title) });
    const chat = received("chat", plan.id).map((c) => (c.json as { text: string }).text);
    expect(chat[1]).toMatch(new RegExp(`^Node failed: nf-bad \\(${failedStep.title.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\) in nf-bad .*ks_upgrade\\.sh exited 1`));
    expect(chat[2]).toMatch(/^Plan failed: nf-bad .*: .*ks_upgrade\.sh exited 1.* Report: https:\/\/console\.test\/plans\/.*\/report$/);
  });

  it("a requested maintenance window asks for approval once; emitting it again adds nothing", async () => {
    const cm = await startEnrolledAppliance(f.env.db, f.env.dataDir, { name: "nf-window", version: "2.11.0+13003" });
    sims.push(cm);
    const plan = await createPlan(f.env.db, f.actor, { applianceId: cm.applianceId, targetVersion: "2.10.0+12807", method: "downgrade", acknowledgement: "DOWNGRADE nf-window" });
    const startsAt = new Date(Date.now() + 3_600_000);
    const w = await requestWindow(f.env.db, f.actor, { planId: plan.id, startsAt, endsAt: new Date(startsAt.getTime() + 7_200_000), reason: "lab reset" });
    await allSettled();
    const again = await emitNotification(f.env.db, "approval-needed", { kind: "window", windowId: w.id });
    expect(again).toEqual([]);
    await allSettled();
    for (const path of ["/json", "/approvals"]) {
      const calls = receiver.callsTo(path).filter((c) => c.body.includes(w.id));
      expect(calls).toHaveLength(1);
      expect(calls[0]!.json).toMatchObject({
        event: "approval-needed",
        plan: { id: plan.id, method: "downgrade", target: "nf-window", state: "prechecked" },
        approval: { kind: "window", id: w.id, requestedBy: f.actor.name, reason: "lab reset", startsAt: startsAt.toISOString(), url: "https://console.test/windows" },
      });
    }
    // The chat line links to the windows page, where an approver decides; it names the appliance.
    const chat = receiver.callsTo("/chat").filter((c) => c.body.includes("nf-window"));
    expect(chat).toHaveLength(1);
    expect((chat[0]!.json as { text: string }).text).toMatch(/^Approval needed: a maintenance window for nf-window 2\.11\.0\+13003 → 2\.10\.0\+12807 \(downgrade\), .* UTC to .* UTC, requested by admin@test\.local \(lab reset\)\. Decide: https:\/\/console\.test\/windows$/);
    expect(await f.env.db.webhookDelivery.count({ where: { dedupeKey: `approval-needed:window:${w.id}` } })).toBe(3);
  });

  it("a campaign wave that waits for its approver asks for approval", async () => {
    await startTaggedAppliance(f.env.db, f.env.dataDir, f.actor, "nf-wave", ["test=nf"]).then((s) => sims.push(s));
    const c = await createCampaign(f.env.db, f.actor, CreateCampaignSchema.parse({
      name: "nf approvals", targetVersion: "2.11.0+13003", selection: { tags: ["test=nf"] }, waves: { approvalBeforeEachWave: true }, distribution: { enabled: false },
    }));
    await launchCampaign(f.env.db, f.actor, c.id);
    await waitFor("wave 0 awaiting approval", async () => (await f.env.db.campaignWave.findFirst({ where: { campaignId: c.id, index: 0, state: "awaiting-approval" } })) !== null);
    // Three webhooks want approvals; the driver emits just after it lets go of the campaign's lock.
    await waitFor("three approval deliveries", async () => (await f.env.db.webhookDelivery.count({ where: { dedupeKey: `approval-needed:wave:${c.id}:0`, state: { not: "pending" } } })) === 3);
    expect(receiver.callsTo("/approvals").filter((x) => x.body.includes(c.id))).toHaveLength(1);
    const calls = receiver.callsTo("/json").filter((x) => x.body.includes(c.id));
    expect(calls.map((x) => x.json)).toEqual([{
      event: "approval-needed", at: expect.any(String),
      approval: { kind: "wave", campaignId: c.id, campaign: "nf approvals", wave: 0, waveName: c.waves[0]!.name, url: `https://console.test/campaigns/${c.id}` },
    }]);
    const chat = receiver.callsTo("/chat").filter((x) => x.body.includes(c.id)).map((x) => (x.json as { text: string }).text);
    expect(chat).toEqual([`Approval needed: ${c.waves[0]!.name} of campaign "nf approvals" waits for an approver. Decide: https://console.test/campaigns/${c.id}`]);
    await abortCampaign(f.env.db, f.actor, c.id, "test over");
  });
});

// Webhook delivery against a real HTTP receiver, the real Postgres and Redis and the real BullMQ
// worker: signed calls, retries with backoff until the receiver accepts, a receiver that never
// does, jobs lost with Redis sent again by the reconciler, and the admin's services, audited.
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startConsoleFixture, type ConsoleFixture } from "@/lib/testing/console-fixture";
import { hasValidSignature, startWebhookReceiver, type WebhookReceiver } from "@/lib/testing/webhook-receiver";
import { waitFor } from "@/lib/testing/campaign-run";
import { getWebhookQueue, WEBHOOK_ATTEMPTS, webhookJobId } from "@/lib/queue/webhook-queue";
import { startWebhookWorker, type WebhookWorker } from "@/workers/webhook-worker";
import { reconcileOnce } from "@/workers/reconciler";
import { createWebhook, CreateWebhookSchema, deleteWebhook, listWebhooks, updateWebhook, UpdateWebhookSchema } from "./webhooks";
import { sendTestNotification } from "./emit-notification";

process.env.FLEET_WEBHOOK_BACKOFF_MS = "50";
process.env.FLEET_CONSOLE_URL = "https://console.test";

let f: ConsoleFixture;
let receiver: WebhookReceiver;
let worker: WebhookWorker | null = null;

const hook = (name: string, path: string, extra: Record<string, unknown> = {}) =>
  createWebhook(f.env.db, f.actor, CreateWebhookSchema.parse({ name, url: `${receiver.url}${path}`, events: ["plan-finished"], ...extra }));
const delivery = (id: string) => f.env.db.webhookDelivery.findUniqueOrThrow({ where: { id } });
const settled = (id: string) => waitFor(`delivery ${id} settled`, async () => {
  const d = await delivery(id);
  return d.state !== "pending" ? d : null;
});

/** A loopback port nobody listens on: taken from the OS, then let go. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

beforeAll(async () => {
  f = await startConsoleFixture("webhooks", { worker: false });
  receiver = await startWebhookReceiver();
  worker = startWebhookWorker(f.env.db);
});

afterAll(async () => {
  await worker?.stop();
  await receiver?.stop();
  await f?.stop();
});

describe("webhook delivery", () => {
  it("signs the exact body with the webhook's secret and sends the test event once", async () => {
    const w = await hook("signed", "/signed", { format: "json" });
    const d = await sendTestNotification(f.env.db, f.actor, w.id);
    expect(await settled(d.id)).toMatchObject({ state: "delivered", attempts: 1, lastStatus: 200, lastError: null });
    const calls = receiver.callsTo("/signed");
    expect(calls).toHaveLength(1);
    expect(hasValidSignature(calls[0]!, w.secret)).toBe(true);
    expect(hasValidSignature(calls[0]!, "another secret of sixteen+")).toBe(false);
    expect(calls[0]!.headers).toMatchObject({ "content-type": "application/json", "x-fleet-event": "test", "x-fleet-delivery": d.id });
    expect(calls[0]!.json).toMatchObject({ event: "test", message: expect.stringContaining('webhook "signed" is reachable') });
  });

  it("retries a receiver that answers 500 twice, and records it delivered at the third attempt", async () => {
    const w = await hook("flaky", "/fail-2/hook");
    const d = await sendTestNotification(f.env.db, f.actor, w.id);
    expect(await settled(d.id)).toMatchObject({ state: "delivered", attempts: 3, lastStatus: 200, lastError: null, deliveredAt: expect.any(Date) });
    const calls = receiver.callsTo("/fail-2/hook");
    expect(calls).toHaveLength(3);
    // The same signed body each time: a receiver may dedupe on X-Fleet-Delivery.
    expect(new Set(calls.map((c) => c.body)).size).toBe(1);
    expect(calls.every((c) => c.headers["x-fleet-delivery"] === d.id && hasValidSignature(c, w.secret))).toBe(true);
  });

  it(`gives up on a receiver that never accepts after ${WEBHOOK_ATTEMPTS} attempts, keeping its last status and words`, async () => {
    const w = await hook("down", "/down/hook");
    const d = await sendTestNotification(f.env.db, f.actor, w.id);
    const failed = await settled(d.id);
    expect(failed).toMatchObject({ state: "failed", attempts: WEBHOOK_ATTEMPTS, lastStatus: 503, deliveredAt: null });
    expect(failed.lastError).toBe("The receiver answered 503: receiver says no");
    expect(receiver.callsTo("/down/hook")).toHaveLength(WEBHOOK_ATTEMPTS);
  });

  it("records a receiver nobody listens on as unreachable", async () => {
    const port = await closedPort();
    const w = await createWebhook(f.env.db, f.actor, CreateWebhookSchema.parse({ name: "nobody", url: `http://127.0.0.1:${port}/hook`, events: ["plan-started"] }));
    const d = await sendTestNotification(f.env.db, f.actor, w.id);
    const failed = await settled(d.id);
    expect(failed).toMatchObject({ state: "failed", attempts: WEBHOOK_ATTEMPTS, lastStatus: null });
    expect(failed.lastError).toBe(`Could not reach 127.0.0.1:${port}: ECONNREFUSED`);
  });

  it("sends a delivery again when Redis lost its job: the reconciler re-enqueues what Postgres holds pending", async () => {
    await worker!.stop();
    worker = null;
    const w = await hook("after-redis-loss", "/lost");
    const d = await sendTestNotification(f.env.db, f.actor, w.id);
    const queue = getWebhookQueue();
    expect(await queue.getJob(webhookJobId(d.id))).toBeTruthy();
    await queue.obliterate({ force: true });
    expect(await queue.getJob(webhookJobId(d.id))).toBeUndefined();
    worker = startWebhookWorker(f.env.db);
    expect((await delivery(d.id)).state).toBe("pending");
    await reconcileOnce(f.env.db);
    expect(await queue.getJob(webhookJobId(d.id))).toBeTruthy();
    expect(await settled(d.id)).toMatchObject({ state: "delivered", attempts: 1 });
    expect(receiver.callsTo("/lost")).toHaveLength(1);
    // A second pass finds nothing pending and sends nothing twice.
    await reconcileOnce(f.env.db);
    expect(receiver.callsTo("/lost")).toHaveLength(1);
  });
});

describe("webhook administration", () => {
  it("shows the secret once, seals it, lists webhooks without it, and audits every change", async () => {
    const created = await hook("audited", "/audited", { format: "chat", events: ["plan-started", "node-failed", "plan-started"] });
    expect(created.secret).toMatch(/^[0-9a-f]{64}$/);
    expect(created.events).toEqual(["plan-started", "node-failed"]);
    expect(created.warning).toMatch(/Plain http/);
    expect(created).not.toHaveProperty("secretEncrypted");
    const row = await f.env.db.webhook.findUniqueOrThrow({ where: { id: created.id } });
    expect(row.secretEncrypted).toMatch(/^v1:/);
    expect(row.secretEncrypted).not.toContain(created.secret);
    const listed = (await listWebhooks(f.env.db)).find((w) => w.id === created.id)!;
    expect(listed).not.toHaveProperty("secretEncrypted");
    expect(JSON.stringify(listed)).not.toContain(created.secret);

    await expect(hook("audited", "/again")).rejects.toThrow(/A webhook named "audited" already exists/);
    await updateWebhook(f.env.db, f.actor, created.id, UpdateWebhookSchema.parse({ enabled: false }));
    await expect(sendTestNotification(f.env.db, f.actor, created.id)).rejects.toThrow(/disabled: enable it first/);
    await updateWebhook(f.env.db, f.actor, created.id, UpdateWebhookSchema.parse({ enabled: true, url: "https://hooks.example.com/x" }));
    await deleteWebhook(f.env.db, f.actor, created.id);
    expect(await f.env.db.webhook.findUnique({ where: { id: created.id } })).toBeNull();
    const actions = (await f.env.db.auditEvent.findMany({ where: { subjectType: "webhook", subjectId: created.id }, orderBy: { id: "asc" } })).map((e) => e.action);
    expect(actions).toEqual(["webhook-created", "webhook-disabled", "webhook-enabled", "webhook-deleted"]);
  });

  it.each([
    [{ name: "x", url: "ftp://example.com", events: ["plan-started"] }, /must start with https:\/\//],
    [{ name: "x", url: "https://u:p@example.com", events: ["plan-started"] }, /no user name or password/],
    [{ name: "x", url: "https://example.com", events: [] }, /choose at least one event/],
    [{ name: "x", url: "https://example.com", events: ["plan-exploded"] }, /^events\.0: .*"plan-started"/],
    [{ name: "x", url: "https://example.com", events: ["plan-started"], secret: "short" }, /at least 16 characters/],
  ])("refuses bad input, naming what is wrong (%#)", (input, message) => {
    const parsed = CreateWebhookSchema.safeParse(input);
    expect(parsed.success).toBe(false);
    // As a route answers it (lib/http/handle-api-error.ts): the field's path, then the words.
    expect(parsed.error!.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")).toMatch(message);
  });

  it("does not call a webhook disabled after its delivery was queued", async () => {
    await worker!.stop();
    worker = null;
    const w = await hook("disabled-later", "/disabled-later");
    const d = await sendTestNotification(f.env.db, f.actor, w.id);
    await updateWebhook(f.env.db, f.actor, w.id, UpdateWebhookSchema.parse({ enabled: false }));
    worker = startWebhookWorker(f.env.db);
    expect(await settled(d.id)).toMatchObject({ state: "failed", attempts: 0, lastError: expect.stringMatching(/webhook was disabled/) });
    expect(receiver.callsTo("/disabled-later")).toHaveLength(0);
  });
});

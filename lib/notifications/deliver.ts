// One call of one delivery: POST the stored payload, signed with the webhook's secret, under a
// timeout; record the answer on the row. 2xx delivers; anything else is tried again (the worker's
// backoff) until the attempts run out, then the row is failed with the last status and error.
import crypto from "node:crypto";
import type { Db } from "@/lib/db/client";
import { decryptSecret } from "@/lib/secrets/envelope";
import { WEBHOOK_ATTEMPTS } from "@/lib/queue/webhook-queue";

export type DeliveryResult = "delivered" | "retry" | "failed" | "skipped";

export const SIGNATURE_HEADER = "X-Fleet-Signature";

/** `sha256=<hex>`: HMAC-SHA256 of the exact body bytes, keyed with the webhook's secret. */
export function signBody(secret: string, body: string): string {
  return `sha256=${crypto.createHmac("sha256", secret).update(body).digest("hex")}`;
}

/** The envelope is bound to its webhook: a secret copied onto another row does not open. */
export function webhookSecretAad(webhookId: string): string {
  return `webhook:${webhookId}`;
}

function timeoutMs(): number {
  return Number(process.env.FLEET_WEBHOOK_TIMEOUT_MS ?? 10_000);
}

export async function deliverWebhook(db: Db, deliveryId: string): Promise<DeliveryResult> {
  const d = await db.webhookDelivery.findUnique({ where: { id: deliveryId }, include: { webhook: true } });
  if (!d || d.state !== "pending") return "skipped";
  if (!d.webhook.enabled) {
    await db.webhookDelivery.updateMany({ where: { id: d.id, state: "pending" }, data: { state: "failed", lastError: "Not sent: the webhook was disabled before this delivery went out." } });
    return "failed";
  }
  const body = JSON.stringify(d.payload);
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "user-agent": "fleet-upgrade-console",
    "x-fleet-event": d.event,
    "x-fleet-delivery": d.id,
  };
  if (d.webhook.secretEncrypted) headers[SIGNATURE_HEADER] = signBody(decryptSecret(d.webhook.secretEncrypted, webhookSecretAad(d.webhookId)), body);
  const answer = await post(d.webhook.url, headers, body);
  const attempts = d.attempts + 1;
  const ok = answer.status !== null && answer.status >= 200 && answer.status < 300;
  const state = ok ? "delivered" : attempts >= WEBHOOK_ATTEMPTS ? "failed" : "pending";
  await db.webhookDelivery.updateMany({
    where: { id: d.id, state: "pending", attempts: d.attempts },
    data: { state, attempts, lastStatus: answer.status, lastError: ok ? null : answer.error, deliveredAt: ok ? new Date() : null },
  });
  return ok ? "delivered" : state === "failed" ? "failed" : "retry";
}

async function post(url: string, headers: Record<string, string>, body: string): Promise<{ status: number | null; error: string | null }> {
  const limit = timeoutMs();
  try {
    // No redirects: the admin named this URL, and a 3xx is an answer worth showing, not following.
    const res = await fetch(url, { method: "POST", headers, body, redirect: "manual", signal: AbortSignal.timeout(limit) });
    const text = await res.text().catch(() => "");
    const ok = res.status >= 200 && res.status < 300;
    return { status: res.status, error: ok ? null : `The receiver answered ${res.status}${text ? `: ${text.slice(0, 300)}` : ""}` };
  } catch (e) {
    const err = e as Error & { cause?: { code?: string; message?: string } };
    if (err.name === "TimeoutError") return { status: null, error: `No answer within ${Math.round(limit / 1000)} s.` };
    const cause = err.cause?.code ?? err.cause?.message ?? err.message;
    return { status: null, error: `Could not reach ${new URL(url).host}: ${cause}` };
  }
}

// Outgoing notifications as data: the events a webhook can subscribe to, the two body formats
// (a generic JSON document and a chat-style { text } that Slack and Teams both accept), and the
// rules for a webhook's URL. Pure: lib/notifications gathers the facts and does the sending.

export const NOTIFICATION_EVENTS = ["approval-needed", "plan-started", "node-failed", "plan-finished"] as const;
export type NotificationEvent = (typeof NOTIFICATION_EVENTS)[number];

export const WEBHOOK_FORMATS = ["json", "chat"] as const;
export type WebhookFormat = (typeof WEBHOOK_FORMATS)[number];

/** What each event means, for the admin page's checkboxes and the docs. */
export const EVENT_LABELS: Record<NotificationEvent, string> = {
  "approval-needed": "Approval needed (a maintenance window requested, a campaign wave waiting)",
  "plan-started": "Plan started",
  "node-failed": "Node failed (a step on an appliance failed)",
  "plan-finished": "Plan finished (succeeded, failed or aborted)",
};

export interface PlanFacts {
  id: string;
  method: string;
  /** The standalone appliance's name, or "cluster <name>". */
  target: string;
  from: string;
  to: string;
  state: string;
  url: string;
}

export type ApprovalFacts =
  | { kind: "window"; id: string; startsAt: Date; endsAt: Date; requestedBy: string; reason: string; url: string }
  | { kind: "wave"; campaignId: string; campaign: string; wave: number; waveName: string; url: string };

export interface NotificationFacts {
  event: NotificationEvent | "test";
  at: Date;
  plan?: PlanFacts;
  node?: { id: string; name: string; step: string };
  reason?: string | null;
  approval?: ApprovalFacts;
  /** The test event: the webhook being tried and the console's address. */
  test?: { webhook: string; url: string };
}

/** The generic JSON body: { event, at, plan, node?, reason?, approval? }. */
export function buildJsonPayload(f: NotificationFacts): Record<string, unknown> {
  const body: Record<string, unknown> = { event: f.event, at: f.at.toISOString() };
  if (f.plan) body.plan = { ...f.plan };
  if (f.node) body.node = { ...f.node };
  if (f.reason) body.reason = f.reason;
  if (f.approval) {
    body.approval = f.approval.kind === "window"
      ? { ...f.approval, startsAt: f.approval.startsAt.toISOString(), endsAt: f.approval.endsAt.toISOString() }
      : { ...f.approval };
  }
  if (f.test) body.message = `Test from the Fleet Upgrade Console: webhook "${f.test.webhook}" is reachable.`;
  return body;
}

/** "2026-12-01 10:00 UTC": one unambiguous clock for everyone reading a chat room. */
export function formatUtc(d: Date): string {
  return `${d.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

function describePlan(p: PlanFacts): string {
  return `${p.target} ${p.from} → ${p.to} (${p.method})`;
}

const FINISHED_WORDS: Record<string, string> = { succeeded: "Plan succeeded", failed: "Plan failed", aborted: "Plan aborted" };

/** The chat body: one or two sentences and a link, plain text (no markup Teams would show raw). */
export function buildChatPayload(f: NotificationFacts): { text: string } {
  return { text: chatText(f) };
}

function chatText(f: NotificationFacts): string {
  const reason = f.reason ? `: ${f.reason}` : ".";
  const a = f.approval;
  switch (f.event) {
    case "test":
      return `Test from the Fleet Upgrade Console: webhook "${f.test?.webhook ?? ""}" is reachable. ${f.test?.url ?? ""}`.trim();
    case "approval-needed":
      if (a?.kind === "window") {
        const what = f.plan ? ` for ${describePlan(f.plan)}` : "";
        return `Approval needed: a maintenance window${what}, ${formatUtc(a.startsAt)} to ${formatUtc(a.endsAt)}, requested by ${a.requestedBy} (${a.reason}). Decide: ${a.url}`;
      }
      if (a?.kind === "wave") return `Approval needed: ${a.waveName} of campaign "${a.campaign}" waits for an approver. Decide: ${a.url}`;
      return `Approval needed. ${f.plan?.url ?? ""}`.trim();
    case "plan-started":
      return `Plan started: ${f.plan ? describePlan(f.plan) : "(unknown plan)"}. Watch: ${f.plan?.url ?? ""}`.trim();
    case "node-failed":
      return `Node failed: ${f.node?.name ?? "a node"} (${f.node?.step ?? "a step"}) in ${f.plan ? describePlan(f.plan) : "a plan"}${reason} Open: ${f.plan?.url ?? ""}`.trim();
    case "plan-finished": {
      const words = FINISHED_WORDS[f.plan?.state ?? ""] ?? `Plan ${f.plan?.state ?? "finished"}`;
      return `${words}: ${f.plan ? describePlan(f.plan) : "(unknown plan)"}${f.plan?.state === "succeeded" ? "." : reason} Report: ${f.plan ? `${f.plan.url}/report` : ""}`.trim();
    }
  }
}

export function buildPayload(format: WebhookFormat, f: NotificationFacts): Record<string, unknown> {
  return format === "chat" ? buildChatPayload(f) : buildJsonPayload(f);
}

export type WebhookUrlCheck = { ok: true; url: string; warning: string | null } | { ok: false; message: string };

/**
 * https, or http with a warning (a receiver on this host or a private network). No password in
 * the URL: it would sit in the database in clear; the signing secret proves who sent the call.
 */
export function checkWebhookUrl(text: string): WebhookUrlCheck {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return { ok: false, message: `The URL "${text}" could not be read: write it in full, e.g. https://chat.example.com/hooks/abc.` };
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return { ok: false, message: `The URL must start with https:// (or http://), not ${url.protocol}//.` };
  if (url.username || url.password) return { ok: false, message: "Put no user name or password in the URL: it would be stored in clear. The receiver checks the X-Fleet-Signature header instead." };
  if (!url.hostname) return { ok: false, message: "The URL names no host." };
  const warning = url.protocol === "http:" ? webhookUrlWarning(url.toString()) : null;
  return { ok: true, url: url.toString(), warning };
}

/** Shown beside a webhook whose URL is plain http. */
export function webhookUrlWarning(url: string): string | null {
  return url.startsWith("http:")
    ? "Plain http: payloads travel unencrypted and anyone on the path can read them. Use https unless the receiver is on this host or a private network."
    : null;
}

import { describe, expect, it } from "vitest";
import { buildChatPayload, buildJsonPayload, buildPayload, checkWebhookUrl, formatUtc, type NotificationFacts } from "./notifications";

const at = new Date(Date.UTC(2026, 11, 1, 10, 30, 5));
const plan = { id: "p1", method: "standalone", target: "cm-lon-01", from: "2.10.0+12807", to: "2.11.0+13003", state: "running", url: "https://console.example/plans/p1" };
const window = { kind: "window" as const, id: "w1", startsAt: new Date(Date.UTC(2026, 11, 2, 22)), endsAt: new Date(Date.UTC(2026, 11, 3, 2)), requestedBy: "op@example", reason: "quarterly patch", url: "https://console.example/windows" };
const wave = { kind: "wave" as const, campaignId: "c1", campaign: "Q4 rollout", wave: 1, waveName: "Wave 1", url: "https://console.example/campaigns/c1" };

describe("the generic JSON body", () => {
  it.each<[string, NotificationFacts, Record<string, unknown>]>([
    ["plan started", { event: "plan-started", at, plan }, { event: "plan-started", at: "2026-12-01T10:30:05.000Z", plan }],
    ["node failed", { event: "node-failed", at, plan, node: { id: "a2", name: "cm-par-02", step: "Run ks_upgrade.sh" }, reason: "exit 1" },
      { event: "node-failed", at: at.toISOString(), plan, node: { id: "a2", name: "cm-par-02", step: "Run ks_upgrade.sh" }, reason: "exit 1" }],
    ["plan finished", { event: "plan-finished", at, plan: { ...plan, state: "succeeded" }, reason: null }, { event: "plan-finished", at: at.toISOString(), plan: { ...plan, state: "succeeded" } }],
    ["window approval", { event: "approval-needed", at, plan, approval: window },
      { event: "approval-needed", at: at.toISOString(), plan, approval: { ...window, startsAt: "2026-12-02T22:00:00.000Z", endsAt: "2026-12-03T02:00:00.000Z" } }],
    ["wave approval", { event: "approval-needed", at, approval: wave }, { event: "approval-needed", at: at.toISOString(), approval: wave }],
  ])("%s: names the event, the time, the plan with its link, and only the optional parts it has", (_label, facts, expected) => {
    expect(buildJsonPayload(facts)).toEqual(expected);
    expect(buildPayload("json", facts)).toEqual(expected);
  });

  it("survives a JSON round trip unchanged (what the receiver parses is what was stored)", () => {
    const body = buildJsonPayload({ event: "node-failed", at, plan, node: { id: "a", name: "n", step: "s" }, reason: "r" });
    expect(JSON.parse(JSON.stringify(body))).toEqual(body);
  });
});

describe("the chat body", () => {
  it.each<[string, NotificationFacts, RegExp[]]>([
    ["plan started", { event: "plan-started", at, plan }, [/^Plan started: cm-lon-01 2\.10\.0\+12807 → 2\.11\.0\+13003 \(standalone\)\. Watch: https:\/\/console\.example\/plans\/p1$/]],
    ["node failed", { event: "node-failed", at, plan, node: { id: "a2", name: "cm-par-02", step: "Run ks_upgrade.sh" }, reason: "ks_upgrade.sh exited 1" },
      [/^Node failed: cm-par-02 \(Run ks_upgrade\.sh\)/, /: ks_upgrade\.sh exited 1 Open: https:\/\/console\.example\/plans\/p1$/]],
    ["plan succeeded", { event: "plan-finished", at, plan: { ...plan, state: "succeeded" } }, [/^Plan succeeded: cm-lon-01 .*\. Report: https:\/\/console\.example\/plans\/p1\/report$/]],
    ["plan failed", { event: "plan-finished", at, plan: { ...plan, state: "failed" }, reason: "Wait for return failed" }, [/^Plan failed: .*: Wait for return failed Report: /]],
    ["plan aborted", { event: "plan-finished", at, plan: { ...plan, state: "aborted" }, reason: "operator stopped it" }, [/^Plan aborted: /, /operator stopped it/]],
    ["window approval", { event: "approval-needed", at, plan, approval: window },
      [/^Approval needed: a maintenance window for cm-lon-01 /, /2026-12-02 22:00 UTC to 2026-12-03 02:00 UTC/, /requested by op@example \(quarterly patch\)/, /Decide: https:\/\/console\.example\/windows$/]],
    ["wave approval", { event: "approval-needed", at, approval: wave }, [/^Approval needed: Wave 1 of campaign "Q4 rollout" waits for an approver\. Decide: https:\/\/console\.example\/campaigns\/c1$/]],
    ["test", { event: "test", at, test: { webhook: "ops room", url: "https://console.example/webhooks" } }, [/^Test from the Fleet Upgrade Console: webhook "ops room" is reachable\. https:\/\/console\.example\/webhooks$/]],
  ])("%s: one plain sentence with a link", (_label, facts, patterns) => {
    const body = buildChatPayload(facts);
    expect(Object.keys(body)).toEqual(["text"]);
    for (const p of patterns) expect(body.text).toMatch(p);
    expect(body.text).not.toMatch(/undefined|null/);
    expect(buildPayload("chat", facts)).toEqual(body);
  });

  it("writes times in UTC, to the minute", () => {
    expect(formatUtc(at)).toBe("2026-12-01 10:30 UTC");
  });
});

describe("webhook URLs", () => {
  it("takes https as it is", () => {
    expect(checkWebhookUrl(" https://hooks.example.com/services/T0/B0/x ")).toEqual({ ok: true, url: "https://hooks.example.com/services/T0/B0/x", warning: null });
  });

  it("takes http with a warning that says why and what to do", () => {
    const checked = checkWebhookUrl("http://127.0.0.1:9000/hook");
    expect(checked).toMatchObject({ ok: true, url: "http://127.0.0.1:9000/hook" });
    expect(checked.ok && checked.warning).toMatch(/unencrypted.*Use https/);
  });

  it.each([
    ["not a URL", "hooks.example.com/x", /could not be read.*https:\/\//],
    ["another scheme", "ftp://hooks.example.com/x", /must start with https:\/\//],
    ["a file", "file:///etc/passwd", /must start with https:\/\//],
    ["a password in it", "https://bot:hunter2@hooks.example.com/x", /no user name or password/],
  ])("refuses %s, saying what to write instead", (_label, text, message) => {
    const checked = checkWebhookUrl(text);
    expect(checked.ok).toBe(false);
    expect(!checked.ok && checked.message).toMatch(message);
  });
});

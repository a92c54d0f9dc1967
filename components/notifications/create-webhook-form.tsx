"use client";
// Adding a webhook. The server checks the URL and generates the signing secret (unless one is
// given); the answer is the only time the secret is shown, so it stays on screen until dismissed.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api } from "@/components/api";
import { buttonClass, ErrorNote, inputClass, labelClass, Panel, secondaryButtonClass } from "@/components/ui/panel";
import { EVENT_LABELS, NOTIFICATION_EVENTS, webhookUrlWarning, type NotificationEvent } from "@/lib/domain/notifications";
import { FORMAT_LABEL, type WebhookRow } from "./webhooks-panel";

const EMPTY = { name: "", url: "", format: "json" as "json" | "chat", events: [...NOTIFICATION_EVENTS] as NotificationEvent[], secret: "" };

export function CreateWebhookForm() {
  const qc = useQueryClient();
  const [form, setForm] = useState(EMPTY);
  const [created, setCreated] = useState<(WebhookRow & { secret: string }) | null>(null);
  const create = useMutation({
    mutationFn: () => api<WebhookRow & { secret: string }>("/api/webhooks", { method: "POST", json: { ...form, secret: form.secret || undefined } }),
    onSuccess: (row) => {
      setCreated(row);
      setForm(EMPTY);
      void qc.invalidateQueries({ queryKey: ["webhooks"] });
    },
  });
  const toggle = (e: NotificationEvent) => setForm({ ...form, events: form.events.includes(e) ? form.events.filter((x) => x !== e) : [...form.events, e] });
  const httpWarning = /^http:/i.test(form.url.trim()) ? webhookUrlWarning("http:") : null;
  return (
    <Panel title="Add a webhook">
      {created && (
        <div role="status" className="mb-4 rounded border border-emerald-400 bg-emerald-50 p-3 text-sm" data-testid="webhook-secret">
          <p className="font-medium">Webhook &quot;{created.name}&quot; added. Its signing secret, shown this once:</p>
          <p className="mono my-1 break-all rounded bg-white px-2 py-1 text-xs">{created.secret}</p>
          <p className="text-xs text-slate-600">Copy it into the receiver now; the console keeps it sealed and never shows it again. Every call carries <span className="mono">X-Fleet-Signature: sha256=&lt;hex&gt;</span>, the HMAC-SHA256 of the raw body under this secret: compare it before trusting the call.</p>
          <div className="mt-2 flex gap-2">
            <button type="button" className={secondaryButtonClass} onClick={() => void navigator.clipboard?.writeText(created.secret)}>Copy secret</button>
            <button type="button" className={secondaryButtonClass} onClick={() => setCreated(null)}>I have stored it</button>
          </div>
        </div>
      )}
      <form onSubmit={(e) => { e.preventDefault(); create.mutate(); }} className="grid max-w-3xl grid-cols-2 gap-3">
        <div>
          <label className={labelClass} htmlFor="webhook-name">Name</label>
          <input id="webhook-name" className={inputClass} value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} placeholder="ops chat room" />
        </div>
        <div>
          <label className={labelClass} htmlFor="webhook-url">URL (https; http only on this host or a private network)</label>
          <input id="webhook-url" className={inputClass} value={form.url} onChange={(e) => setForm({ ...form, url: e.target.value })} placeholder="https://chat.example.com/hooks/..." />
          {httpWarning && <p className="mt-1 text-xs text-amber-800">{httpWarning}</p>}
        </div>
        <fieldset className="col-span-2">
          <legend className={labelClass}>Format of the body</legend>
          <div className="flex flex-wrap gap-4 text-sm">
            {(["json", "chat"] as const).map((f) => (
              <label key={f} className="flex items-center gap-1.5">
                <input type="radio" name="webhook-format" value={f} checked={form.format === f} onChange={() => setForm({ ...form, format: f })} />
                {FORMAT_LABEL[f]}
                <span className="text-xs text-slate-500">{f === "json" ? "{ event, at, plan, node?, reason? }" : "{ text } with a link"}</span>
              </label>
            ))}
          </div>
        </fieldset>
        <fieldset className="col-span-2">
          <legend className={labelClass}>Events</legend>
          <div className="grid gap-1 text-sm sm:grid-cols-2">
            {NOTIFICATION_EVENTS.map((e) => (
              <label key={e} className="flex items-start gap-1.5">
                <input type="checkbox" className="mt-1" checked={form.events.includes(e)} onChange={() => toggle(e)} />
                <span>{EVENT_LABELS[e]}</span>
              </label>
            ))}
          </div>
        </fieldset>
        <div className="col-span-2">
          <label className={labelClass} htmlFor="webhook-secret-input">Signing secret (optional: leave empty and the console generates one)</label>
          <input id="webhook-secret-input" type="password" autoComplete="off" className={`${inputClass} max-w-md`} value={form.secret} onChange={(e) => setForm({ ...form, secret: e.target.value })} />
        </div>
        <div className="col-span-2 space-y-2">
          <ErrorNote error={create.error} />
          <button type="submit" className={buttonClass} disabled={create.isPending || form.events.length === 0} title={form.events.length === 0 ? "Choose at least one event" : undefined}>{create.isPending ? "Adding..." : "Add webhook"}</button>
        </div>
      </form>
    </Panel>
  );
}

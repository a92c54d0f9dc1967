"use client";
import { useRouter } from "next/navigation";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api } from "@/components/api";
import { buttonClass, ErrorNote, inputClass, labelClass, Panel, secondaryButtonClass } from "@/components/ui/panel";

interface Identity { id: string; name: string; publicKey: string; fingerprint: string }
interface Probe { sshHostKeyFingerprint: string; sshHostKeyAlgorithm: string; sshBanner: string | null; restCertFingerprint: string; restCertSubject: string; restCertValidTo: string }

export function EnrolForm() {
  const router = useRouter();
  const qc = useQueryClient();
  const identities = useQuery({ queryKey: ["ssh-identities"], queryFn: () => api<Identity[]>("/api/ssh-identities") });
  const [f, setF] = useState({ name: "", host: "127.0.0.1", sshPort: "22", restUrl: "https://", sshIdentityId: "", restUsername: "admin", restPassword: "" });
  const [newKey, setNewKey] = useState({ name: "", privateKey: "" });
  const set = (k: keyof typeof f) => (e: React.ChangeEvent<HTMLInputElement | HTMLSelectElement>) => setF({ ...f, [k]: e.target.value });
  const probe = useMutation({ mutationFn: () => api<Probe>("/api/appliances/probe", { method: "POST", json: { host: f.host, sshPort: f.sshPort, restUrl: f.restUrl } }) });
  const createIdentity = useMutation({
    mutationFn: () => api<Identity>("/api/ssh-identities", { method: "POST", json: { name: newKey.name, privateKey: newKey.privateKey || undefined } }),
    onSuccess: (id) => { setF({ ...f, sshIdentityId: id.id }); void qc.invalidateQueries({ queryKey: ["ssh-identities"] }); },
  });
  const enrol = useMutation({
    mutationFn: () => api<{ id: string }>("/api/appliances", { method: "POST", json: { ...f, acceptedSshHostKeyFingerprint: probe.data?.sshHostKeyFingerprint, acceptedRestCertFingerprint: probe.data?.restCertFingerprint } }),
    onSuccess: (a) => router.push(`/appliances/${a.id}`),
  });
  const field = (k: keyof typeof f, label: string, type = "text") => (
    <div><label className={labelClass} htmlFor={`f-${k}`}>{label}</label><input id={`f-${k}`} type={type} className={inputClass} value={f[k]} onChange={set(k)} /></div>
  );
  const chosen = identities.data?.find((i) => i.id === f.sshIdentityId);
  return (
    <div className="grid gap-6 lg:grid-cols-2">
      <Panel title="1. Where is it, and how do we sign in">
        <div className="grid grid-cols-2 gap-3">
          {field("name", "Name")}{field("host", "Host or IP")}{field("sshPort", "SSH port", "number")}{field("restUrl", "REST URL (https)")}
          {field("restUsername", "REST user")}{field("restPassword", "REST password", "password")}
          <div className="col-span-2">
            <label className={labelClass} htmlFor="f-identity">SSH identity for ksadmin</label>
            <select id="f-identity" className={inputClass} value={f.sshIdentityId} onChange={set("sshIdentityId")}>
              <option value="">Choose an identity</option>
              {identities.data?.map((i) => <option key={i.id} value={i.id}>{i.name} ({i.fingerprint})</option>)}
            </select>
            {chosen && <p className="mt-1 break-all text-xs text-slate-500">Add this public key to ksadmin on the appliance: <span className="mono">{chosen.publicKey}</span></p>}
          </div>
        </div>
        <details className="mt-4 text-sm">
          <summary className="cursor-pointer text-sky-700">New SSH identity (generate, or paste a private key)</summary>
          <div className="mt-2 space-y-2">
            <input aria-label="Identity name" placeholder="identity name" className={inputClass} value={newKey.name} onChange={(e) => setNewKey({ ...newKey, name: e.target.value })} />
            <textarea aria-label="Private key" placeholder="leave empty to generate an ed25519 key" className={`${inputClass} mono h-20 text-xs`} value={newKey.privateKey} onChange={(e) => setNewKey({ ...newKey, privateKey: e.target.value })} />
            <ErrorNote error={createIdentity.error} />
            <button type="button" className={secondaryButtonClass} disabled={!newKey.name || createIdentity.isPending} onClick={() => createIdentity.mutate()}>Create identity</button>
          </div>
        </details>
      </Panel>
      <Panel title="2. Check who answers, then pin it">
        <button type="button" className={secondaryButtonClass} onClick={() => probe.mutate()} disabled={probe.isPending}>{probe.isPending ? "Connecting..." : "Connect and show fingerprints"}</button>
        <ErrorNote error={probe.error} />
        {probe.data && (
          <div className="mt-3 space-y-2 text-sm">
            <p>Compare these with the appliance&apos;s own console before accepting. They are pinned: a later change stops all work on this appliance.</p>
            <dl className="grid grid-cols-[10rem_1fr] gap-1">
              <dt className="text-slate-500">SSH host key</dt><dd className="mono break-all text-xs" data-testid="ssh-fingerprint">{probe.data.sshHostKeyFingerprint} ({probe.data.sshHostKeyAlgorithm})</dd>
              <dt className="text-slate-500">SSH banner</dt><dd className="text-xs">{probe.data.sshBanner ?? "-"}</dd>
              <dt className="text-slate-500">REST certificate</dt><dd className="mono break-all text-xs" data-testid="cert-fingerprint">SHA256 {probe.data.restCertFingerprint}</dd>
              <dt className="text-slate-500">Subject / valid to</dt><dd className="text-xs">{probe.data.restCertSubject} · {probe.data.restCertValidTo}</dd>
            </dl>
            <ErrorNote error={enrol.error} />
            <button type="button" className={buttonClass} disabled={enrol.isPending || !f.sshIdentityId || !f.name} onClick={() => enrol.mutate()}>{enrol.isPending ? "Enrolling..." : "Accept fingerprints and enrol"}</button>
          </div>
        )}
      </Panel>
    </div>
  );
}

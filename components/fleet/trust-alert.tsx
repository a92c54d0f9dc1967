"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "@/components/api";
import { buttonClass, ErrorNote, secondaryButtonClass } from "@/components/ui/panel";

interface Probe { sshHostKeyFingerprint: string; restCertFingerprint: string; sshBanner: string | null }

/** A changed identity stops all work; an admin compares the new fingerprints and accepts them. */
export function TrustAlert({ appliance }: { appliance: { id: string; name: string; host: string; sshPort: number; restUrl: string; statusReason: string | null; sshHostKeyFingerprint: string; restCertFingerprint: string } }) {
  const qc = useQueryClient();
  const probe = useMutation({ mutationFn: () => api<Probe>("/api/appliances/probe", { method: "POST", json: { host: appliance.host, sshPort: appliance.sshPort, restUrl: appliance.restUrl } }) });
  const accept = useMutation({
    mutationFn: () => api(`/api/appliances/${appliance.id}/trust`, { method: "POST", json: { acceptedSshHostKeyFingerprint: probe.data!.sshHostKeyFingerprint, acceptedRestCertFingerprint: probe.data!.restCertFingerprint } }),
    onSuccess: () => qc.invalidateQueries(),
  });
  return (
    <div role="alert" className="space-y-2 rounded border border-red-400 bg-red-50 p-3 text-sm text-red-900 dark:bg-red-950 dark:text-red-100">
      <p className="font-semibold">{appliance.name}&apos;s SSH host key or TLS certificate changed: all work on it is stopped.</p>
      <p>{appliance.statusReason}</p>
      <p>Pinned: SSH <span className="mono">{appliance.sshHostKeyFingerprint}</span> · TLS <span className="mono">{appliance.restCertFingerprint}</span></p>
      {probe.data && <p>Presented now: SSH <span className="mono">{probe.data.sshHostKeyFingerprint}</span> · TLS <span className="mono">{probe.data.restCertFingerprint}</span></p>}
      <p>Compare with the appliance&apos;s own console (a reinstall or a certificate renewal explains a change; nothing else should). Only an admin may accept.</p>
      <div className="flex gap-2">
        <button type="button" className={secondaryButtonClass} onClick={() => probe.mutate()}>Show what it presents now</button>
        {probe.data && <button type="button" className={buttonClass} onClick={() => accept.mutate()}>Accept the new identity</button>}
      </div>
      <ErrorNote error={probe.error} />
      <ErrorNote error={accept.error} />
    </div>
  );
}

"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api } from "@/components/api";
import { buttonClass, ErrorNote, inputClass, labelClass, Panel } from "@/components/ui/panel";

interface VendorKey { id: string; fingerprint: string; userIds: string[]; algorithm: string; expiresAt: string | null; addedBy: string }

export function VendorKeysPanel() {
  const qc = useQueryClient();
  const keys = useQuery({ queryKey: ["vendor-keys"], queryFn: () => api<VendorKey[]>("/api/vendor-keys") });
  const [armored, setArmored] = useState("");
  const add = useMutation({
    mutationFn: () => api("/api/vendor-keys", { method: "POST", json: { armored } }),
    onSuccess: () => { setArmored(""); void qc.invalidateQueries({ queryKey: ["vendor-keys"] }); },
  });
  return (
    <Panel title="Trusted vendor signing keys">
      <p className="mb-3 text-sm text-slate-500">Archives are accepted only when their OpenPGP signature verifies against one of these public keys.</p>
      <ul className="mb-4 space-y-1 text-sm" aria-label="Trusted keys">
        {keys.data?.length === 0 && <li className="text-amber-700">No key is trusted yet: every archive will be refused until you add the vendor&apos;s public key.</li>}
        {keys.data?.map((k) => (
          <li key={k.id} className="flex flex-wrap gap-x-3"><span className="mono text-xs">{k.fingerprint}</span><span>{k.userIds.join(", ")}</span><span className="text-slate-500">{k.algorithm}</span></li>
        ))}
      </ul>
      <form onSubmit={(e) => { e.preventDefault(); add.mutate(); }} className="space-y-2">
        <label className={labelClass} htmlFor="vendor-key">Add a public key (ASCII armored)</label>
        <textarea id="vendor-key" className={`${inputClass} mono h-24 text-xs`} value={armored} onChange={(e) => setArmored(e.target.value)} placeholder="-----BEGIN PGP PUBLIC KEY BLOCK-----" />
        <ErrorNote error={add.error} />
        <button type="submit" className={buttonClass} disabled={!armored.trim() || add.isPending}>{add.isPending ? "Adding..." : "Trust this key"}</button>
      </form>
    </Panel>
  );
}

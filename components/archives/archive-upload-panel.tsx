"use client";
import { useQueryClient } from "@tanstack/react-query";
import { useRef, useState } from "react";
import { api } from "@/components/api";
import { formatBytes, formatDuration } from "@/components/ui/format";
import { buttonClass, ErrorNote, Panel } from "@/components/ui/panel";
import { addSample, type TransferSample } from "@/components/ui/transfer";
import { TransferProgress } from "@/components/ui/transfer-progress";

interface Leg { done: number; total: number; startedAt: number; finishedAt: number | null; samples: TransferSample[] }
interface ServerProgress { archiveId: string; phase: "receiving" | "verifying" | "verified" | "refused"; done: number; total: number; startedAt: number; at: number; reason: string | null }
interface Outcome { ok: boolean; title: string; detail: string }

const POLL_MS = 250;

/** XMLHttpRequest, not fetch: only it reports upload progress in browsers today. A detached
 *  signature (a few hundred bytes) rides in a header, so the server can check the data as it comes. */
function putFile(file: File, signature: string | null, ticket: string, onProgress: (sent: number) => void, onSent: () => void): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("PUT", `/api/archives/upload?name=${encodeURIComponent(file.name)}&ticket=${ticket}`);
    if (signature) xhr.setRequestHeader("X-Detached-Signature", signature);
    xhr.upload.onprogress = (e) => onProgress(e.loaded);
    xhr.upload.onload = onSent;
    xhr.onload = () => resolve({ status: xhr.status, body: xhr.responseText });
    xhr.onerror = () => reject(new Error("The upload was interrupted (network error). Nothing was kept: upload the file again."));
    xhr.send(file);
  });
}

const isSignature = (f: File) => /\.(sig|asc)$/i.test(f.name);

/** The chosen files: the archive, and the .sig/.asc of a .tar.gz signed apart (base64), or why not. */
async function chosenFiles(files: File[]): Promise<{ file: File; signature: string | null } | Error> {
  const signatures = files.filter(isSignature);
  const archives = files.filter((f) => !isSignature(f));
  if (archives.length !== 1 || signatures.length > 1) {
    return new Error("Choose one archive: a .tar.gz.gpg, or a .tar.gz together with its .sig or .asc signature.");
  }
  const file = archives[0]!;
  const sig = signatures[0];
  if (!sig) return { file, signature: null };
  const bytes = new Uint8Array(await sig.arrayBuffer());
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return { file, signature: btoa(binary) };
}

const readProgress = (ticket: string) => api<ServerProgress>(`/api/archives/progress/${ticket}`).catch(() => null);

/** Upload (bytes, rate, time left in the browser), then signature verification on the server. */
export function ArchiveUploadPanel() {
  const qc = useQueryClient();
  const input = useRef<HTMLInputElement>(null);
  const [upload, setUpload] = useState<Leg | null>(null);
  const [verify, setVerify] = useState<Leg | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [error, setError] = useState<unknown>(null);
  const busy = upload !== null && outcome === null && error === null;

  async function start() {
    const files = Array.from(input.current?.files ?? []);
    if (files.length === 0) {
      setError(new Error("Choose the archive file first (ks_upgrade_<version>.tar.gz.gpg)."));
      return;
    }
    const chosen = await chosenFiles(files);
    if (chosen instanceof Error) {
      setError(chosen);
      return;
    }
    const { file, signature } = chosen;
    const ticket = crypto.randomUUID();
    setError(null);
    setOutcome(null);
    setVerify(null);
    const startedAt = Date.now();
    setUpload({ done: 0, total: file.size, startedAt, finishedAt: null, samples: [] });
    let polling = false;
    const poll = async () => {
      while (polling) {
        const p = await readProgress(ticket);
        if (p && p.phase !== "receiving") setVerify(legOf(p));
        await new Promise((r) => setTimeout(r, POLL_MS));
      }
    };
    try {
      const res = await putFile(file, signature, ticket,
        (sent) => setUpload((u) => u && { ...u, done: sent, samples: addSample(u.samples, { at: Date.now(), bytes: sent }) }),
        () => {
          setUpload((u) => u && { ...u, done: file.size, finishedAt: Date.now() });
          setVerify({ done: 0, total: file.size, startedAt: Date.now(), finishedAt: null, samples: [] });
          polling = true;
          void poll();
        });
      polling = false;
      const last = await readProgress(ticket);
      if (last) setVerify(legOf(last));
      setUpload((u) => u && { ...u, finishedAt: u.finishedAt ?? Date.now() });
      setOutcome(describe(file, res, last));
      void qc.invalidateQueries({ queryKey: ["archives"] });
    } catch (e) {
      polling = false;
      setError(e);
    }
  }

  return (
    <Panel title="Upload a signed archive">
      <p className="mb-3 text-sm text-slate-500">A file named <span className="mono">ks_upgrade_&lt;x.y.z+build&gt;.tar.gz.gpg</span> or the Support Portal&apos;s <span className="mono">..._CipherTrust_Manager_v2.21.0_RevA.tar.gz.gpg</span>; or a <span className="mono">.tar.gz</span> chosen together with its <span className="mono">.sig</span> or <span className="mono">.asc</span>. It is hashed and its signature checked against the trusted keys as it streams to disk.</p>
      <div className="flex flex-wrap items-center gap-3">
        <input ref={input} type="file" multiple aria-label="Archive file" accept=".gpg,.sig,.asc,.gz" className="min-w-0 max-w-full text-sm file:mr-3 file:rounded file:border file:border-slate-300 file:bg-white file:px-2 file:py-1 file:text-sm" />
        <button type="button" className={buttonClass} onClick={() => void start()} disabled={busy}>{busy ? "Working..." : "Upload and verify"}</button>
      </div>
      {upload && (
        <ol className="mt-4 space-y-3" aria-label="Upload progress">
          <li><TransferProgress testId="upload-progress" label="1. Uploading from this browser" {...upload} /></li>
          <li>
            {verify
              ? <TransferProgress testId="verify-progress" label="2. Verifying the signature on the server" {...verify} />
              : <p className="text-xs text-slate-500">2. Verifying the signature: checked as the bytes arrive, the verdict follows the last one.</p>}
          </li>
        </ol>
      )}
      {outcome && (
        <div role="status" className={`mt-3 rounded border px-3 py-2 text-sm ${outcome.ok ? "border-emerald-300 bg-emerald-50 text-emerald-900" : "border-red-300 bg-red-50 text-red-900"}`}>
          <p className="font-medium">{outcome.title}</p>
          <p className="text-xs">{outcome.detail}</p>
        </div>
      )}
      <ErrorNote error={error} />
    </Panel>
  );
}

function legOf(p: ServerProgress): Leg {
  const finished = p.phase === "verified" || p.phase === "refused";
  return { done: p.done, total: p.total, startedAt: p.startedAt, finishedAt: finished ? p.at : null, samples: [{ at: p.at, bytes: p.done }] };
}

function describe(file: File, res: { status: number; body: string }, last: ServerProgress | null): Outcome {
  let body: { status?: string; version?: string; refusalReason?: string; signerUserId?: string; undeployableReason?: string | null; error?: { message: string } } = {};
  try {
    body = JSON.parse(res.body) as typeof body;
  } catch {
    // A proxy's HTML error page: the status says enough.
  }
  const took = last ? ` (${formatBytes(last.done)} checked in ${formatDuration(last.at - last.startedAt)})` : "";
  if (res.status === 201) {
    const use = body.undeployableReason ? ` It is kept in the catalog only: ${body.undeployableReason}` : " It can now be chosen in a plan.";
    return { ok: true, title: `Verified: ${file.name} is version ${body.version}.`, detail: `Signed by ${body.signerUserId ?? "a trusted vendor key"}${took}.${use}` };
  }
  const reason = body.refusalReason ?? body.error?.message ?? `the server answered ${res.status}`;
  return { ok: false, title: `Refused: ${reason}`, detail: `Nothing was kept. Download the archive again from the Support Portal, check the vendor key under "Trusted vendor signing keys", then upload again.` };
}

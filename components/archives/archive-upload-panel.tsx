"use client";
import { useQueryClient } from "@tanstack/react-query";
import { useRef, useState } from "react";
import { buttonClass, ErrorNote, Panel } from "@/components/ui/panel";
import { ProgressBar } from "@/components/ui/progress-bar";

interface UploadState { sent: number; total: number; startedAt: number; phase: "uploading" | "verifying" | "done" }

/** XMLHttpRequest, not fetch: only it reports upload progress in browsers today. */
function putFile(file: File, onProgress: (sent: number) => void): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("PUT", `/api/archives/upload?name=${encodeURIComponent(file.name)}`);
    xhr.upload.onprogress = (e) => onProgress(e.loaded);
    xhr.onload = () => resolve({ status: xhr.status, body: xhr.responseText });
    xhr.onerror = () => reject(new Error("The upload was interrupted (network error). Nothing was kept; upload again."));
    xhr.send(file);
  });
}

export function ArchiveUploadPanel() {
  const qc = useQueryClient();
  const input = useRef<HTMLInputElement>(null);
  const [state, setState] = useState<UploadState | null>(null);
  const [result, setResult] = useState<{ ok: boolean; message: string } | null>(null);
  const [error, setError] = useState<unknown>(null);

  async function upload() {
    const file = input.current?.files?.[0];
    if (!file) return;
    setError(null);
    setResult(null);
    const startedAt = Date.now();
    setState({ sent: 0, total: file.size, startedAt, phase: "uploading" });
    try {
      const res = await putFile(file, (sent) => setState({ sent, total: file.size, startedAt, phase: sent >= file.size ? "verifying" : "uploading" }));
      const body = JSON.parse(res.body) as { status?: string; version?: string; refusalReason?: string; error?: { message: string } };
      if (res.status === 201) setResult({ ok: true, message: `Verified: ${file.name} is version ${body.version}, signed by a trusted key.` });
      else setResult({ ok: false, message: `Refused: ${body.refusalReason ?? body.error?.message ?? res.status}` });
      setState((s) => (s ? { ...s, phase: "done" } : s));
      void qc.invalidateQueries({ queryKey: ["archives"] });
    } catch (e) {
      setError(e);
      setState(null);
    }
  }

  return (
    <Panel title="Upload a signed archive">
      <p className="mb-3 text-sm text-slate-500">A file named <span className="mono">ks_upgrade_&lt;x.y.z+build&gt;.tar.gz.gpg</span> or the Support Portal&apos;s <span className="mono">..._CipherTrust_Manager_v2.21.0_RevA.tar.gz.gpg</span>. It is streamed to disk, hashed and its signature verified.</p>
      <div className="flex flex-wrap items-center gap-3">
        <input ref={input} type="file" aria-label="Archive file" accept=".gpg,.sig,.asc,.gz" className="text-sm" />
        <button type="button" className={buttonClass} onClick={() => void upload()} disabled={state?.phase === "uploading" || state?.phase === "verifying"}>Upload and verify</button>
      </div>
      {state && (
        <div className="mt-3">
          <ProgressBar done={state.sent} total={state.total} startedAt={state.startedAt} label={state.phase === "verifying" ? "Uploaded; verifying the signature..." : state.phase === "done" ? "Finished" : "Uploading"} />
        </div>
      )}
      {result && <p role="status" className={`mt-3 text-sm ${result.ok ? "text-emerald-700" : "text-red-700"}`}>{result.message}</p>}
      <ErrorNote error={error} />
    </Panel>
  );
}

"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { api } from "@/components/api";
import { buttonClass, ErrorNote, inputClass, labelClass } from "@/components/ui/panel";

export default function LoginPage() {
  const router = useRouter();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function submit(form: FormData) {
    setBusy(true);
    setError(null);
    try {
      await api("/api/auth/sign-in", { method: "POST", json: { email: form.get("email"), password: form.get("password") } });
      router.push("/");
      router.refresh();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="flex min-h-screen items-center justify-center p-6">
      <form action={submit} className="w-full max-w-sm space-y-4 rounded-lg border border-slate-200 bg-white p-6 shadow dark:border-slate-800 dark:bg-slate-900">
        <div>
          <h1 className="text-lg font-semibold">Fleet Upgrade Console</h1>
          <p className="text-sm text-slate-500">CipherTrust Manager upgrades, planned and audited.</p>
        </div>
        <div>
          <label className={labelClass} htmlFor="email">Email</label>
          <input id="email" name="email" type="email" autoComplete="username" required className={inputClass} />
        </div>
        <div>
          <label className={labelClass} htmlFor="password">Password</label>
          <input id="password" name="password" type="password" autoComplete="current-password" required className={inputClass} />
        </div>
        <ErrorNote error={error} />
        <button type="submit" className={`${buttonClass} w-full justify-center`} disabled={busy}>{busy ? "Signing in..." : "Sign in"}</button>
      </form>
    </main>
  );
}

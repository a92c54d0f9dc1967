"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { api } from "@/components/api";
import { buttonClass, ErrorNote, inputClass, labelClass } from "@/components/ui/panel";

export function LoginForm() {
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
    <form action={submit} className="space-y-4">
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
  );
}

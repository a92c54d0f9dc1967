"use client";
import { api } from "@/components/api";
import { secondaryButtonClass } from "@/components/ui/panel";

export function SignOutButton() {
  return (
    <button type="button" className={secondaryButtonClass} onClick={async () => { await api("/api/auth/sign-out", { method: "POST" }); window.location.href = "/login"; }}>
      Sign out
    </button>
  );
}

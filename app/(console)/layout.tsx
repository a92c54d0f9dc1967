import Link from "next/link";
import { redirect } from "next/navigation";
import type { ReactNode } from "react";
import { currentUser } from "@/lib/http/route";
import { SignOutButton } from "@/components/sign-out-button";
import { ThemeToggle } from "@/components/ui/theme-toggle";

export const dynamic = "force-dynamic";

const LINKS = [
  { href: "/", label: "Fleet" },
  { href: "/campaigns", label: "Campaigns" },
  { href: "/archives", label: "Archives & keys" },
  { href: "/appliances/enrol", label: "Enrol appliance" },
  { href: "/windows", label: "Windows" },
  { href: "/catalog", label: "Catalog" },
  { href: "/history", label: "History" },
  { href: "/users", label: "Users" },
  { href: "/webhooks", label: "Webhooks" },
  { href: "/audit", label: "Audit" },
];

export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  const user = await currentUser();
  if (!user) redirect("/login");
  return (
    <div className="min-h-screen">
      <a href="#main" className="skip-link">Skip to content</a>
      <header className="border-b border-slate-200 bg-white print:hidden">
        <nav className="mx-auto flex max-w-7xl flex-wrap items-center gap-x-5 gap-y-1 px-4 py-2.5" aria-label="Main">
          <Link href="/" className="whitespace-nowrap font-semibold">Fleet Upgrade Console</Link>
          {/* No prefetch: every console page is rendered per request, so a prefetch brings nothing
              ahead but costs the server a render per link while the page is still loading. */}
          {LINKS.map((l) => <Link key={l.href} href={l.href} prefetch={false} className="whitespace-nowrap text-sm text-slate-600 hover:text-slate-900">{l.label}</Link>)}
          <span className="ml-auto flex items-center gap-3">
            <ThemeToggle />
            <span className="whitespace-nowrap text-sm text-slate-500">{user.email} <span className="rounded bg-slate-100 px-1.5 py-0.5 text-xs">{user.role}</span></span>
            <SignOutButton />
          </span>
        </nav>
      </header>
      <main id="main" tabIndex={-1} className="mx-auto max-w-7xl space-y-6 p-4">{children}</main>
    </div>
  );
}

import Link from "next/link";
import { redirect } from "next/navigation";
import type { ReactNode } from "react";
import { currentUser } from "@/lib/http/route";
import { SignOutButton } from "@/components/sign-out-button";

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
  { href: "/audit", label: "Audit" },
];

export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  const user = await currentUser();
  if (!user) redirect("/login");
  return (
    <div className="min-h-screen">
      <header className="border-b border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
        <nav className="mx-auto flex max-w-7xl flex-wrap items-center gap-x-5 gap-y-1 px-4 py-2.5" aria-label="Main">
          <Link href="/" className="whitespace-nowrap font-semibold">Fleet Upgrade Console</Link>
          {LINKS.map((l) => <Link key={l.href} href={l.href} className="whitespace-nowrap text-sm text-slate-600 hover:text-slate-900 dark:text-slate-300 dark:hover:text-white">{l.label}</Link>)}
          <span className="ml-auto whitespace-nowrap text-sm text-slate-500">{user.email} <span className="rounded bg-slate-100 px-1.5 py-0.5 text-xs dark:bg-slate-800">{user.role}</span></span>
          <SignOutButton />
        </nav>
      </header>
      <main className="mx-auto max-w-7xl space-y-6 p-4">{children}</main>
    </div>
  );
}

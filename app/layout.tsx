import type { Metadata } from "next";
import type { ReactNode } from "react";
import "./globals.css";
import { Providers } from "./providers";
import { THEME_SCRIPT } from "@/components/ui/theme";

export const metadata: Metadata = { title: "Fleet Upgrade Console", description: "Plan, approve, run and audit CipherTrust Manager upgrades" };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    // The theme class is set by the script below before the first paint, so React must not mind it.
    <html lang="en" suppressHydrationWarning>
      <head>
        <script dangerouslySetInnerHTML={{ __html: THEME_SCRIPT }} />
      </head>
      <body className="min-h-screen bg-slate-50 text-slate-900">
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}

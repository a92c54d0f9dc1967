// The login page: password sign-in, and a single sign-on link when FLEET_OIDC_ISSUER is set. A
// refused single sign-on comes back here as ?error=<code>, shown in words.
import { LoginForm } from "@/components/auth/login-form";
import { ErrorNote, secondaryButtonClass } from "@/components/ui/panel";
import { readOidcConfig } from "@/lib/auth/oidc-config";
import { isOidcRefusal, OIDC_REFUSALS } from "@/lib/auth/oidc-rules";
import { logger } from "@/lib/log/logger";

export const dynamic = "force-dynamic";

function singleSignOnLabel(): string | null {
  try {
    return readOidcConfig()?.label ?? null;
  } catch (e) {
    logger.error({ err: e }, "single sign-on is misconfigured; the login page offers passwords only");
    return null;
  }
}

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ error?: string | string[] }> }) {
  const { error } = await searchParams;
  const label = singleSignOnLabel();
  return (
    <main className="flex min-h-screen items-center justify-center p-6">
      <div className="w-full max-w-sm space-y-4 rounded-lg border border-slate-200 bg-white p-6 shadow dark:border-slate-800 dark:bg-slate-900">
        <div>
          <h1 className="text-lg font-semibold">Fleet Upgrade Console</h1>
          <p className="text-sm text-slate-500">CipherTrust Manager upgrades, planned and audited.</p>
        </div>
        {isOidcRefusal(error) && <ErrorNote error={OIDC_REFUSALS[error]} />}
        {label && (
          <>
            {/* A plain link, not a form: the start route redirects to the provider with a GET. */}
            <a href="/api/auth/oidc/start" className={`${secondaryButtonClass} w-full justify-center`}>Sign in with {label}</a>
            <p className="text-center text-xs text-slate-500">or with your console password</p>
          </>
        )}
        <LoginForm />
      </div>
    </main>
  );
}

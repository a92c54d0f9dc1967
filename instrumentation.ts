// Runs once when the web server starts (Next.js instrumentation hook).
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { installWebShutdown } = await import("@/lib/http/web-shutdown");
  installWebShutdown();
}

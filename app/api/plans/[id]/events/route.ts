import { getDb } from "@/lib/db/client";
import { route } from "@/lib/http/route";
import { watchPlanEvents } from "@/lib/events/watch-plan";
import { shutdownSignal } from "@/lib/http/web-shutdown";

export const dynamic = "force-dynamic";

export const GET = route<{ id: string }>("fleet:read", async ({ req, params }) => {
  // An unknown plan is a 404, not an endless stream of keepalives holding a Redis subscriber.
  await getDb().upgradePlan.findUniqueOrThrow({ where: { id: params.id }, select: { id: true } });
  const after = Number(req.headers.get("last-event-id") ?? new URL(req.url).searchParams.get("after") ?? 0) || 0;
  const stream = watchPlanEvents(getDb(), params.id, after, req.signal, { drain: shutdownSignal() });
  return new Response(stream, { headers: { "content-type": "text/event-stream", "cache-control": "no-cache, no-transform", connection: "keep-alive", "x-accel-buffering": "no" } });
});

import { Suspense } from "react";
import { FleetView } from "@/components/fleet/fleet-view";
import type { FleetPageView } from "@/components/fleet/fleet-types";
import { getDb } from "@/lib/db/client";
import { currentUser } from "@/lib/http/route";
import { hasPermission } from "@/lib/domain/permissions";
import { readFleetPage } from "@/lib/fleet/fleet-view";

export const dynamic = "force-dynamic";

type SearchParams = Record<string, string | string[] | undefined>;

/**
 * The first page of the view comes with the HTML, read here as GET /api/fleet would answer it:
 * the rows are on screen at first paint instead of after hydration and a round trip of their own
 * (which also queued behind the navigation links' prefetches). A query the API would refuse gets
 * no initial rows: the view asks the API and shows its refusal, as before.
 */
async function initialPage(searchParams: SearchParams): Promise<{ query: string; data: FleetPageView } | undefined> {
  const user = await currentUser();
  if (!user || !hasPermission(user.role, "fleet:read")) return undefined;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(searchParams)) for (const one of Array.isArray(v) ? v : v === undefined ? [] : [v]) params.append(k, one);
  if ([...params.keys()].some((k) => params.getAll(k).length > 1)) return undefined;
  try {
    const page = await readFleetPage(getDb(), Object.fromEntries(params));
    // As the browser would receive it from the API: dates as ISO strings.
    return { query: params.toString(), data: JSON.parse(JSON.stringify(page)) as FleetPageView };
  } catch {
    return undefined;
  }
}

export default async function FleetPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const initial = await initialPage(await searchParams);
  return (
    <>
      <h1 className="text-xl font-semibold">Fleet</h1>
      {/* The view reads its filters from the URL. */}
      <Suspense fallback={<p className="text-sm text-slate-500">Loading the fleet...</p>}>
        <FleetView initial={initial} />
      </Suspense>
    </>
  );
}

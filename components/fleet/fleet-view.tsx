"use client";
// The fleet at a glance: compliance counts on top (each a filter), search and filters, one page of
// clusters and standalone appliances from the server, and the golden-version rules by tag.
import { useSyncExternalStore } from "react";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { api } from "@/components/api";
import { ErrorNote, Panel, secondaryButtonClass } from "@/components/ui/panel";
import { useNow } from "@/components/campaigns/use-now";
import { ComplianceTiles } from "@/components/fleet/compliance-tiles";
import { FleetFilters, type FleetParam } from "@/components/fleet/fleet-filters";
import { FleetPager } from "@/components/fleet/fleet-pager";
import { FleetTable } from "@/components/fleet/fleet-table";
import { GoldenRulesPanel } from "@/components/fleet/golden-rules-panel";
import type { FleetPageView } from "@/components/fleet/fleet-types";
import type { Compliance } from "@/lib/domain/compliance";

/** The same parameters in any order and spelling of their encoding. */
function sameQuery(a: string, b: string): boolean {
  const norm = (q: string) => { const p = new URLSearchParams(q); p.sort(); return p.toString(); };
  return norm(a) === norm(b);
}

const subscribeToNothing = () => () => {};
const liveInBrowser = () => true;
const notLiveOnServer = () => false;

/** `initial`: the page the server read for the URL it rendered, shown until the browser's own answer. */
export function FleetView({ initial }: { initial?: { query: string; data: FleetPageView } }) {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const query = params.toString();
  const now = useNow(30_000);
  const fleet = useQuery({
    queryKey: ["fleet", query],
    queryFn: () => api<FleetPageView>(`/api/fleet?${query}`),
    initialData: initial && sameQuery(initial.query, query) ? initial.data : undefined,
    placeholderData: keepPreviousData,
    refetchInterval: 15_000,
    retry: false,
  });
  const get = (k: FleetParam) => params.get(k) ?? "";
  const go = (next: URLSearchParams) => router.replace(`${pathname}${next.size ? `?${next}` : ""}`, { scroll: false });
  const set = (k: FleetParam, v: string) => {
    const next = new URLSearchParams(params);
    if (v) next.set(k, v);
    else next.delete(k);
    // A new filter starts again at the first page; a new page keeps the filters.
    if (k !== "page") next.delete("page");
    go(next);
  };
  const clear = () => {
    const next = new URLSearchParams();
    for (const k of ["sort", "pageSize"]) if (params.get(k)) next.set(k, params.get(k)!);
    go(next);
  };
  // The server's rows are drawn once the page is live in the browser, not into the HTML: their
  // relative and local times belong to the browser's clock and zone, and a table that cannot be
  // searched yet is not usable anyway. They spare the round trip after hydration all the same.
  // Hydration renders the server's snapshot (false), then React re-renders with the browser's
  // (true) at once, before the first paint, where an effect would wait for a later task.
  const live = useSyncExternalStore(subscribeToNothing, liveInBrowser, notLiveOnServer);
  const data = live ? fleet.data : undefined;
  const filtered = ["q", "version", "tag", "status", "kind"].some((k) => params.get(k));
  const caption = data ? `${data.total} rows${data.query.compliance ? ` ${data.query.compliance}` : ""}, page ${data.page} of ${data.pageCount}` : "Fleet";
  return (
    <>
      <section aria-label="Compliance" className="space-y-1">
        <ComplianceTiles counts={data?.counts} selected={(params.get("compliance") as Compliance | null) ?? undefined} onSelect={(c) => set("compliance", c ?? "")} />
        <p className="text-xs text-slate-500">
          {data ? `${data.facets.appliances.toLocaleString("en")} appliances enrolled. ` : ""}
          {filtered ? "Counts of the rows matching the search and filters below." : "Each cluster counts once; click a count to list those rows."}
        </p>
      </section>
      <Panel
        title={data ? `Clusters and standalone appliances (${data.total.toLocaleString("en")})` : "Clusters and standalone appliances"}
        actions={<span className="flex items-center gap-3">{fleet.isFetching && <span role="status" className="text-xs text-slate-500">updating...</span>}<Link href="/appliances/enrol" prefetch={false} className="text-sm text-sky-700 hover:underline">Enrol an appliance</Link></span>}
      >
        <FleetFilters get={get} set={set} clear={clear} facets={data?.facets} />
        {fleet.isError && (
          <div className="space-y-2">
            <ErrorNote error={fleet.error} />
            <button type="button" className={secondaryButtonClass} onClick={() => go(new URLSearchParams())}>Show the whole fleet</button>
          </div>
        )}
        {!data && (fleet.isPending || !live) && <p className="py-6 text-center text-sm text-slate-500">Loading the fleet...</p>}
        {data && data.facets.appliances === 0 && <p className="py-3 text-sm text-slate-500">No appliance is enrolled yet. <Link className="text-sky-700 hover:underline" href="/appliances/enrol">Enrol the first one</Link>.</p>}
        {data && data.facets.appliances > 0 && data.total === 0 && <p className="py-3 text-sm text-slate-500">No cluster or appliance matches these filters. Clear a filter to see more.</p>}
        {data && data.total > 0 && data.rows.length === 0 && (
          <p className="py-3 text-sm text-slate-500">Page {data.page} is past the last page ({data.pageCount}). <button type="button" className="text-sky-700 hover:underline" onClick={() => set("page", String(data.pageCount))}>Go to the last page</button>.</p>
        )}
        {data && data.rows.length > 0 && <FleetTable rows={data.rows} now={now} caption={caption} />}
        {data && data.total > 0 && (
          <FleetPager page={data.page} pageCount={data.pageCount} pageSize={data.pageSize} total={data.total} shown={data.rows.length}
            onPage={(p) => set("page", p > 1 ? String(p) : "")} onPageSize={(s) => set("pageSize", s === 50 ? "" : String(s))} />
        )}
      </Panel>
      <GoldenRulesPanel tags={data?.facets.tags ?? []} versions={data?.facets.versions ?? []} />
    </>
  );
}

"use client";
// Search and filters of the fleet view. Every choice lives in the page's URL, so a filtered view
// can be bookmarked, shared and reloaded.
import { useEffect, useState } from "react";
import { inputClass, labelClass, secondaryButtonClass } from "@/components/ui/panel";
import { useDebounced } from "@/components/campaigns/use-debounced";
import type { FleetPageView } from "@/components/fleet/fleet-types";

export type FleetParam = "q" | "compliance" | "version" | "tag" | "status" | "kind" | "sort" | "page" | "pageSize";

const SORTS: [string, string][] = [
  ["name", "Name, A to Z"], ["-name", "Name, Z to A"], ["version", "Oldest version first"], ["-version", "Newest version first"],
  ["last-contact", "Longest without contact first"], ["-last-contact", "Most recent contact first"], ["compliance", "Worst compliance first"],
];

/** "2.10" of "2.10.0+12807": the release lines the versions belong to, offered before the versions. */
function linesOf(versions: string[]): string[] {
  return [...new Set(versions.map((v) => /^v?(\d+\.\d+)\./.exec(v)?.[1]).filter((l): l is string => !!l))];
}

function Select({ id, label, value, onChange, children }: { id: string; label: string; value: string; onChange: (v: string) => void; children: React.ReactNode }) {
  return (
    <div>
      <label className={labelClass} htmlFor={id}>{label}</label>
      <select id={id} className={inputClass} value={value} onChange={(e) => onChange(e.target.value)}>{children}</select>
    </div>
  );
}

export function FleetFilters({ get, set, clear, facets }: { get: (k: FleetParam) => string; set: (k: FleetParam, v: string) => void; clear: () => void; facets: FleetPageView["facets"] | undefined }) {
  const [search, setSearch] = useState(get("q"));
  const settled = useDebounced(search, 300);
  const q = get("q");
  useEffect(() => { if (settled !== q) set("q", settled); }, [settled]); // eslint-disable-line react-hooks/exhaustive-deps
  const versions = facets?.versions ?? [];
  const filtered = ["q", "compliance", "version", "tag", "status", "kind"].some((k) => get(k as FleetParam));
  return (
    <div className="mb-3 grid grid-cols-2 items-end gap-2 md:grid-cols-[minmax(12rem,2fr)_repeat(5,minmax(7rem,1fr))_auto]">
      <div>
        <label className={labelClass} htmlFor="fleet-search">Search names and hosts</label>
        <input id="fleet-search" type="search" className={inputClass} placeholder="a name or host, e.g. cm-par" value={search} onChange={(e) => setSearch(e.target.value)} />
      </div>
      <Select id="fleet-version" label="Version" value={get("version")} onChange={(v) => set("version", v)}>
        <option value="">any version</option>
        {linesOf(versions).map((l) => <option key={l} value={l}>{l}.x</option>)}
        {versions.map((v) => <option key={v} value={v}>{v}</option>)}
      </Select>
      <Select id="fleet-tag" label="Tag" value={get("tag")} onChange={(v) => set("tag", v)}>
        <option value="">any tag</option>
        {facets?.tags.map((t) => <option key={t} value={t}>{t}</option>)}
      </Select>
      <Select id="fleet-status" label="Node status" value={get("status")} onChange={(v) => set("status", v)}>
        <option value="">any status</option>
        <option value="ok">a node ok</option>
        <option value="unreachable">a node unreachable</option>
        <option value="trust-changed">a node's identity changed</option>
        <option value="unknown">a node never read</option>
      </Select>
      <Select id="fleet-kind" label="Kind" value={get("kind")} onChange={(v) => set("kind", v)}>
        <option value="">all kinds</option>
        <option value="cluster">clusters</option>
        <option value="appliance">standalone appliances</option>
      </Select>
      <Select id="fleet-sort" label="Sort" value={get("sort") || "name"} onChange={(v) => set("sort", v === "name" ? "" : v)}>
        {SORTS.map(([v, l]) => <option key={v} value={v}>{l}</option>)}
      </Select>
      <button type="button" className={`${secondaryButtonClass} justify-center`} disabled={!filtered} onClick={() => { setSearch(""); clear(); }}>Clear filters</button>
    </div>
  );
}

"use client";
// Server-side paging: which rows these are of how many, and the way to the others.
import { inputClass, secondaryButtonClass } from "@/components/ui/panel";

export function FleetPager({ page, pageCount, pageSize, total, shown, onPage, onPageSize }: { page: number; pageCount: number; pageSize: number; total: number; shown: number; onPage: (p: number) => void; onPageSize: (s: number) => void }) {
  const first = total === 0 ? 0 : (page - 1) * pageSize + 1;
  return (
    <nav aria-label="Pages" className="mt-3 flex flex-wrap items-center gap-3 text-sm">
      <span role="status" data-testid="fleet-range">Rows {first.toLocaleString("en")}-{(first + Math.max(0, shown - 1)).toLocaleString("en")} of {total.toLocaleString("en")}</span>
      <span className="ml-auto flex items-center gap-2">
        <button type="button" className={secondaryButtonClass} onClick={() => onPage(1)} disabled={page <= 1}>First</button>
        <button type="button" className={secondaryButtonClass} onClick={() => onPage(page - 1)} disabled={page <= 1}>Previous</button>
        <span className="whitespace-nowrap tabular-nums">Page {page.toLocaleString("en")} of {pageCount.toLocaleString("en")}</span>
        <button type="button" className={secondaryButtonClass} onClick={() => onPage(page + 1)} disabled={page >= pageCount}>Next</button>
        <button type="button" className={secondaryButtonClass} onClick={() => onPage(pageCount)} disabled={page >= pageCount}>Last</button>
        <label className="flex items-center gap-1 whitespace-nowrap text-xs text-slate-600">Rows per page
          <select className={`${inputClass} !w-auto`} value={pageSize} onChange={(e) => onPageSize(Number(e.target.value))}>
            {[25, 50, 100, 200].map((n) => <option key={n} value={n}>{n}</option>)}
          </select>
        </label>
      </span>
    </nav>
  );
}

export function formatBytes(n: number | null | undefined): string {
  if (n === null || n === undefined) return "-";
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
  return `${v.toFixed(i === 0 ? 0 : 1)} ${units[i]}`;
}

export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return "-";
  if (ms > 0 && ms < 9_500) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

// One formatter for every page: toLocaleString with options builds a new Intl.DateTimeFormat per
// call (about 0.2 ms each), and a page of 200 fleet rows asks for several hundred exact times.
let exactTime: Intl.DateTimeFormat | null = null;

/** An exact time in the browser's locale and zone. */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return "-";
  exactTime ??= new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "medium" });
  return exactTime.format(new Date(iso));
}

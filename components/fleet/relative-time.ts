// "3 min ago": how long since an appliance last answered, at a glance; the exact time goes in a title.
const STEPS: [number, string][] = [[60, "s"], [60, "min"], [24, "h"], [30, "d"], [12, "mo"]];

export function formatAgo(iso: string | null, now: number): string {
  if (!iso) return "never";
  let value = Math.max(0, (now - new Date(iso).getTime()) / 1000);
  if (value < 10) return "just now";
  for (const [size, unit] of STEPS) {
    if (value < size) return `${Math.floor(value)} ${unit} ago`;
    value /= size;
  }
  return `${Math.floor(value)} y ago`;
}

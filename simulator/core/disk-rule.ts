// How much free space ks_upgrade.sh wants on `/`, not counting the archive, for a target.
// The contract: 12 GB up to 2.11; newer releases want 5x the archive; jumps that change the
// internal database (to 2.14, to 2.16) want 25-35 GB. "G" here is what `df -h` prints: GiB.
import type { Version } from "@/lib/domain/version";

const GiB = 1024 ** 3;
const DATABASE_CHANGING_MINORS = new Set([14, 16]);

export function requiredFreeBytes(target: Version, archiveBytes: number): number {
  if (target.major === 2 && DATABASE_CHANGING_MINORS.has(target.minor)) return 30 * GiB;
  if (target.major > 2 || target.minor >= 12) return Math.max(12 * GiB, 5 * archiveBytes);
  return 12 * GiB;
}

/** `12.0G` style, as the script prints it. */
export function formatGiB(bytes: number): string {
  return `${(bytes / GiB).toFixed(1)}G`;
}

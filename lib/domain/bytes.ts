// Byte arithmetic shared by the disk rules. The vendor writes "12 GB"; `df -h` prints powers of
// 1024, so an operator reading "12G" sees GiB. We count in GiB: the larger, safer reading.

export const KIB = 1024;
export const MIB = 1024 * KIB;
export const GIB = 1024 * MIB;
export const TIB = 1024 * GIB;

export function gib(n: number): number {
  return Math.round(n * GIB);
}

/** "12.0 GiB", "512 MiB", "0 B": for UI sentences and evidence lines. */
export function formatBytes(bytes: number): string {
  const units: [string, number][] = [["TiB", TIB], ["GiB", GIB], ["MiB", MIB], ["KiB", KIB]];
  const sign = bytes < 0 ? "-" : "";
  const abs = Math.abs(bytes);
  for (const [unit, size] of units) {
    if (abs >= size) return `${sign}${(abs / size).toFixed(1)} ${unit}`;
  }
  return `${sign}${abs} B`;
}

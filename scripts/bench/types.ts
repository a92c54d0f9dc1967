// What every benchmark of `npm run bench` gives the runner (scripts/bench.ts): rows of a table,
// each a figure measured beside its baseline in the same run (ratios hold on a noisy machine).
export interface BenchRow {
  /** The number for the benchmark (1 archive intake ... 6 scale-out) and a short key. */
  id: string;
  /** What was measured, for a person: "intake, gpg default (compressed) signed, 2 GiB: throughput". */
  figure: string;
  ours: number;
  /** The baseline's figure in the same unit; null where the goal is an absolute bound (a memory cap). */
  baseline: number | null;
  unit: string;
  /** "higher" when more is better (throughput), "lower" when less is (seconds, latency, memory). */
  better: "higher" | "lower";
  /** The goal in words: "≥ baseline", "< 256 MiB", "≤ 1.05 × critical path". */
  goal: string;
  met: boolean;
  note?: string;
}

export interface BenchFlags {
  /** Archive size for intake and distribution (bytes). */
  archiveBytes: number;
  /** Simulated nodes in parallel for distribution. */
  nodes: number;
  /** Simulated appliances for orchestration at scale. */
  appliances: number;
  /** EventSource viewers during the orchestration run. */
  viewers: number;
  /** Appliances seeded for the fleet view. */
  fleetSize: number;
  /** Run only these benchmarks (ids "1".."6"); empty: all. */
  only: string[];
}

export interface BenchContext {
  root: string;
  /** A scratch directory of this run (removed at the end). */
  workDir: string;
  /** A Postgres server URL (any database; a benchmark makes its own with withDatabase). */
  postgresUrl: string;
  redisUrl: string;
  flags: BenchFlags;
  say(line: string): void;
}

export interface BenchResult {
  rows: BenchRow[];
  /** Paragraphs for PERFORMANCE.md under the benchmark's heading: method, what bounds a missed goal. */
  notes: string[];
}

export interface Bench {
  id: string;
  title: string;
  run(ctx: BenchContext): Promise<BenchResult>;
}

export function ratioOf(row: Pick<BenchRow, "ours" | "baseline" | "better">): number | null {
  if (row.baseline === null || row.baseline === 0) return null;
  // Always "how many times the baseline we do": > 1 is better than the baseline either way.
  return row.better === "higher" ? row.ours / row.baseline : row.baseline / row.ours;
}

// The bench report's arithmetic and flags: the parts of `npm run bench` that are not timing.
import { describe, expect, it } from "vitest";
import { parseBenchFlags, parseSize } from "./flags";
import { formatNumber, renderJson, renderMarkdown } from "./report";
import { ratioOf, type BenchRow } from "./types";

const row = (over: Partial<BenchRow>): BenchRow => ({ id: "1a", figure: "intake", ours: 200, baseline: 100, unit: "MiB/s", better: "higher", goal: "≥ baseline", met: true, ...over });

describe("bench report", () => {
  it("gives the ratio as times the baseline, above 1 better, for either direction of better", () => {
    expect(ratioOf(row({ ours: 200, baseline: 100, better: "higher" }))).toBe(2);
    expect(ratioOf(row({ ours: 50, baseline: 100, better: "lower", unit: "ms" }))).toBe(2);
    expect(ratioOf(row({ ours: 200, baseline: 100, better: "lower", unit: "ms" }))).toBe(0.5);
    expect(ratioOf(row({ baseline: null }))).toBeNull();
  });

  it("parses sizes with units and refuses others naming the flag", () => {
    expect(parseSize("2GiB")).toBe(2 * 1024 ** 3);
    expect(parseSize("512 MiB")).toBe(512 * 1024 ** 2);
    expect(parseSize("1.5g")).toBe(1.5 * 1024 ** 3);
    expect(parseSize("4096")).toBe(4096);
    expect(() => parseSize("2 GB-ish")).toThrow(/--archive-size.*"2 GB-ish"/);
    expect(() => parseSize("12")).toThrow(/at least 1 KiB/);
  });

  it("reads every flag and refuses an unknown benchmark or a bad count by name", () => {
    const f = parseBenchFlags(["--archive-size", "64MiB", "--nodes", "3", "--only", "1,5"], ["1", "2", "5"]);
    expect(f).toMatchObject({ archiveBytes: 64 * 1024 ** 2, nodes: 3, appliances: 30, viewers: 50, fleetSize: 10000, only: ["1", "5"] });
    expect(() => parseBenchFlags(["--only", "9"], ["1", "2"])).toThrow(/--only.*not 9/);
    expect(() => parseBenchFlags(["--viewers", "0"], ["1"])).toThrow(/--viewers.*"0"/);
  });

  it("writes one table row per figure, marks missed goals, and the JSON carries the ratio", () => {
    const run = {
      command: "npm run bench", flags: parseBenchFlags([], ["1"]), startedAt: new Date("2026-11-30T17:00:00Z"), seconds: 61,
      outcomes: [{ id: "1", title: "Archive intake", seconds: 30, notes: ["Method paragraph."], rows: [row({}), row({ id: "1b", figure: "peak web memory", ours: 300, baseline: null, unit: "MiB", better: "lower", goal: "< 256 MiB", met: false, note: "bounded by X" })] }],
    };
    const md = renderMarkdown(run);
    expect(md).toContain("| 1a | intake | 200 MiB/s | 100 MiB/s | 2.00× | ≥ baseline | yes |");
    expect(md).toContain("| 1b | peak web memory | 300 MiB | — | — | < 256 MiB | **no** |");
    expect(md).toContain("1 of 2 goals met");
    expect(md).toContain("- 1b: bounded by X");
    expect(md).toContain("Method paragraph.");
    const json = JSON.parse(renderJson(run)) as { benchmarks: { rows: { ratio: number | null }[] }[] };
    expect(json.benchmarks[0]!.rows.map((r) => r.ratio)).toEqual([2, null]);
    expect(formatNumber(1234.5)).toBe("1,235");
    expect(formatNumber(0.01234)).toBe("0.012");
  });
});

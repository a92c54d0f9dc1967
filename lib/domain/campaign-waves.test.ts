import { describe, expect, it } from "vitest";
import { buildWaves, type WaveSplitConfig, type WaveTarget } from "./campaign-waves";

const t = (name: string, ...tags: string[]): WaveTarget => ({ key: `k-${name}`, name, tags });
const fleet = [t("e", "site=paris"), t("a", "env=lab", "site=london"), t("c", "site=paris"), t("b", "site=london"), t("d"), t("f", "site=berlin")];
const config = (over: Partial<WaveSplitConfig> = {}): WaveSplitConfig => ({ canary: { names: [], size: 1 }, split: { by: "size", size: 2 }, ...over });
const names = (r: ReturnType<typeof buildWaves>) => (r.ok ? r.waves.map((w) => w.targetKeys.map((k) => k.slice(2)).join("")) : r.code);

describe("buildWaves", () => {
  it("takes the first target as canary, then waves of the given size, in name order", () => {
    const r = buildWaves(fleet, config());
    expect(names(r)).toEqual(["a", "bc", "de", "f"]);
    expect(r.ok && r.waves.map((w) => [w.index, w.canary])).toEqual([[0, true], [1, false], [2, false], [3, false]]);
  });
  it("is deterministic whatever the input order", () => {
    expect(names(buildWaves([...fleet].reverse(), config()))).toEqual(names(buildWaves(fleet, config())));
  });
  it("takes the canary by tag", () => {
    expect(names(buildWaves(fleet, config({ canary: { tag: "site=paris", names: [], size: 1 } })))).toEqual(["ce", "ab", "df"]);
  });
  it("takes the canary by names (globs) and the first N otherwise", () => {
    expect(names(buildWaves(fleet, config({ canary: { names: ["d", "f*"], size: 1 } })))).toEqual(["df", "ab", "ce"]);
    expect(names(buildWaves(fleet, config({ canary: { names: [], size: 3 } })))).toEqual(["abc", "de", "f"]);
  });
  it("splits the rest one wave per tag value, targets without the key last", () => {
    const r = buildWaves(fleet, config({ split: { by: "tag", key: "site" } }));
    expect(names(r)).toEqual(["a", "f", "b", "ce", "d"]);
    expect(r.ok && r.waves.map((w) => w.name)).toEqual(["canary", "wave 1 (site=berlin)", "wave 2 (site=london)", "wave 3 (site=paris)", "wave 4 (no site tag)"]);
  });
  it("refuses a canary that picks nothing, naming what to do", () => {
    const byTag = buildWaves(fleet, config({ canary: { tag: "env=staging", names: [], size: 1 } }));
    expect(byTag.ok ? "" : byTag.message).toMatch(/env=staging/);
    expect(names(buildWaves(fleet, config({ canary: { names: ["zz"], size: 1 } })))).toBe("canary-names-unknown");
    expect(names(buildWaves([], config()))).toBe("no-targets");
  });
  it("puts everything in the canary when it takes all", () => {
    expect(names(buildWaves([t("x")], config({ canary: { names: [], size: 5 } })))).toEqual(["x"]);
  });
});

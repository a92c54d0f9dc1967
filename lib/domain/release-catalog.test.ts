import { describe, expect, it } from "vitest";
import { gib } from "./bytes";
import { DEFAULT_RELEASE_CATALOG, findRelease, previousLine, validateCatalog, type ReleaseCatalog } from "./release-catalog";
import { anyPatch, formatVersionRange, parseVersionRange, somePatches, type VersionRange } from "./version-range";

const clone = (): ReleaseCatalog => structuredClone(DEFAULT_RELEASE_CATALOG);

describe("DEFAULT_RELEASE_CATALOG", () => {
  it("validates without errors", () => {
    const result = validateCatalog(DEFAULT_RELEASE_CATALOG);
    expect(result.ok, JSON.stringify(result)).toBe(true);
  });

  it.each([
    ["2.11", "lts"], ["2.12", "feature"], ["2.14", "lts"], ["2.19", "lts"], ["2.23", "lts"], ["2.10", "legacy"],
  ])("types %s as %s", (line, type) => {
    expect(findRelease(DEFAULT_RELEASE_CATALOG, line)?.type).toBe(type);
  });

  it("[D2] names 2.10.0 as the only downgrade, from 2.11.0", () => {
    const withDowngrade = DEFAULT_RELEASE_CATALOG.releases.filter((r) => r.downgradeTo);
    expect(withDowngrade.map((r) => [r.version, r.downgradeTo])).toEqual([["2.11", "2.10.0"]]);
  });

  it("[F1] lists offline paths only on LTS releases, and 2.11's from 2.10.x", () => {
    const offline = DEFAULT_RELEASE_CATALOG.releases.filter((r) => r.offlineFrom?.length);
    expect(offline.every((r) => r.type === "lts")).toBe(true);
    expect(findRelease(DEFAULT_RELEASE_CATALOG, "2.11")?.offlineFrom).toEqual([anyPatch("2.10")]);
  });

  it("[U7] gives 2.14 and 2.16 the 35 GB database-change rule", () => {
    expect(findRelease(DEFAULT_RELEASE_CATALOG, "2.14")?.databaseChange?.bytes).toBe(gib(35));
    expect(findRelease(DEFAULT_RELEASE_CATALOG, "2.16")?.databaseChange?.bytes).toBe(gib(35));
  });
});

describe("validateCatalog", () => {
  const cases: { name: string; edit: (c: ReleaseCatalog) => unknown; expect: RegExp }[] = [
    { name: "not an object", edit: () => "nope", expect: /malformed/ },
    { name: "empty release list", edit: () => ({ releases: [] }), expect: /malformed/ },
    { name: "bad line", edit: (c) => { c.releases[0]!.version = "two"; return c; }, expect: /release line/ },
    { name: "duplicate line", edit: (c) => { c.releases.push(structuredClone(c.releases[3]!)); return c; }, expect: /more than once/ },
    { name: "legacy after 2.11", edit: (c) => { findRelease(c, "2.12")!.type = "legacy"; return c; }, expect: /legacy/ },
    { name: "tested from a newer line", edit: (c) => { findRelease(c, "2.12")!.testedFrom.push(anyPatch("2.13")); return c; }, expect: /newer 2.13/ },
    { name: "[F1] offline paths on a feature release", edit: (c) => { findRelease(c, "2.12")!.offlineFrom = [anyPatch("2.11")]; return c; }, expect: /not an LTS/ },
    { name: "[M2] offline skipping below 2.15", edit: (c) => { findRelease(c, "2.14")!.offlineFrom = [anyPatch("2.11")]; return c; }, expect: /cannot skip/ },
    { name: "downgrade to a newer version", edit: (c) => { findRelease(c, "2.11")!.downgradeTo = "2.12.0"; return c; }, expect: /not older/ },
    { name: "downgrade to garbage", edit: (c) => { findRelease(c, "2.11")!.downgradeTo = "soon"; return c; }, expect: /downgradeTo/ },
    { name: "negative disk bytes", edit: (c) => { c.releases[0]!.diskRule = { kind: "fixed", bytes: -1 }; return c; }, expect: /malformed/ },
  ];
  it.each(cases)("refuses: $name", ({ edit, expect: pattern }) => {
    const result = validateCatalog(edit(clone()));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems.map((p) => p.message).join(" ") + result.message).toMatch(pattern);
  });

  it("[M2] accepts offline paths that skip versions into 2.15 or later", () => {
    const c = clone();
    findRelease(c, "2.19")!.offlineFrom = [anyPatch("2.16")];
    expect(validateCatalog(c).ok).toBe(true);
  });

  it("warns when a 'latest patch of' range has no latestPatch to resolve it", () => {
    const c = clone();
    const result = validateCatalog(c);
    expect(result.ok && result.warnings.some((w) => /latest 2.14 patch/.test(w.message))).toBe(true);
  });

  it("returns the releases sorted by line, 2.9 before 2.10", () => {
    const c = clone();
    c.releases.reverse();
    const result = validateCatalog(c);
    expect(result.ok && result.catalog.releases.slice(0, 3).map((r) => r.version)).toEqual(["2.8", "2.9", "2.10"]);
  });

  it("finds the previous line even for a line missing from the catalog", () => {
    expect(previousLine(DEFAULT_RELEASE_CATALOG, "2.22")).toBe("2.21");
    expect(previousLine(DEFAULT_RELEASE_CATALOG, "2.8")).toBeUndefined();
  });
});

describe("version ranges as an admin types them", () => {
  const cases: [string, VersionRange | null, string | null][] = [
    ["2.10.x", anyPatch("2.10"), "2.10.x"],
    ["2.10", anyPatch("2.10"), "2.10.x"],
    ["2.11.1", somePatches("2.11", 1), "2.11.1"],
    ["2.11.3+", { kind: "from-patch", line: "2.11", minPatch: 3 }, "2.11.3 or a later 2.11 patch"],
    ["latest 2.14", { kind: "latest-patch", line: "2.14" }, "the latest 2.14 patch"],
    ["two point ten", null, null],
    ["", null, null],
  ];
  it.each(cases)("%j", (text, range, formatted) => {
    const parsed = parseVersionRange(text);
    expect(parsed).toEqual(range);
    if (parsed) expect(formatVersionRange(parsed)).toBe(formatted);
  });
});

import { describe, expect, it } from "vitest";
import { findArchivesForPath, type ArchiveCandidate } from "./path-archives";
import { DEFAULT_RELEASE_CATALOG as CATALOG } from "./release-catalog";
import { v } from "./test-helpers";
import { computeUpgradePath } from "./upgrade-path";
import { formatVersion } from "./version";

type A = ArchiveCandidate & { id: string };
const archive = (version: string, verified = true): A => ({ id: version, version: v(version), verified });

function pathFor(from: string, to: string) {
  const result = computeUpgradePath(CATALOG, v(from), v(to), "standalone");
  if (!result.ok) throw new Error(result.message);
  return result;
}

describe("findArchivesForPath", () => {
  const cases: { name: string; from: string; to: string; archives: A[]; expect: string[] | RegExp }[] = [
    { name: "one hop, one archive", from: "2.10.0", to: "2.11.0", archives: [archive("2.11.0+100")], expect: ["2.11.0+100"] },
    {
      name: "an intermediate hop takes a patch the next hop was tested from, not merely the newest",
      from: "2.8.0", to: "2.14.0",
      archives: [archive("2.11.3"), archive("2.11.2"), archive("2.11.1"), archive("2.14.0")],
      expect: ["2.11.2", "2.14.0"],
    },
    {
      name: "picks the newest fitting patch of an open range",
      from: "2.11.0", to: "2.14.0",
      archives: [archive("2.13.0"), archive("2.13.3"), archive("2.13.1"), archive("2.14.0")],
      expect: ["2.13.3", "2.14.0"],
    },
    { name: "[U1] an archive without a verified signature does not count", from: "2.10.0", to: "2.11.0", archives: [archive("2.11.0", false)], expect: /no verified signature/ },
    { name: "names the missing hop in words", from: "2.8.0", to: "2.14.0", archives: [archive("2.14.0")], expect: /no verified archive for 2\.11\.1 or 2\.11\.2/ },
    { name: "a final hop needs the exact build when one is given", from: "2.10.0", to: "2.11.0+200", archives: [archive("2.11.0+199")], expect: /no verified archive for 2\.11\.0\+200/ },
  ];
  it.each(cases)("$name", (c) => {
    const result = findArchivesForPath(pathFor(c.from, c.to), c.archives);
    if (Array.isArray(c.expect)) {
      expect(result.ok).toBe(true);
      expect(result.assignments.map((a) => formatVersion(a.archive.version))).toEqual(c.expect);
    } else {
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.message).toMatch(c.expect);
    }
  });

  it("keeps the caller's archive fields (ids) in assignments", () => {
    const result = findArchivesForPath(pathFor("2.10.0", "2.11.0"), [archive("2.11.0")]);
    expect(result.assignments[0]?.archive.id).toBe("2.11.0");
  });
});

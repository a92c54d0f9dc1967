import { describe, expect, it } from "vitest";
import { DEFAULT_RELEASE_CATALOG as CATALOG, findRelease, type ReleaseCatalog } from "./release-catalog";
import { v } from "./test-helpers";
import { checkUpgradeHop, computeUpgradePath, type PathOptions, type PlanMethod, type UpgradePathResult } from "./upgrade-path";
import { describeHopTarget } from "./upgrade-path-types";
import { anyPatch } from "./version-range";

const stops = (r: UpgradePathResult) => (r.ok ? r.hops.map((h) => describeHopTarget(h.to)) : r.code);

describe("checkUpgradeHop", () => {
  const cases: [string, string, string, string?][] = [
    ["2.10.3", "2.11.0", "tested"],
    ["2.8.0", "2.11.2", "tested"],
    ["2.11.0", "2.12.0", "tested"],
    ["2.11.2", "2.14.1", "tested"],
    ["2.16.1", "2.17.0", "tested"],
    ["2.14.0", "2.14.2", "tested", "same-line-patch"],
    ["2.7.0", "2.11.0", "untested", "not-in-tested-list"],
    ["2.16.0", "2.17.0", "untested", "not-in-tested-list"],
    ["2.14.2", "2.17.0", "untested", "latest-patch-unknown"],
    ["2.11.1", "2.12.0", "unsupported"],
    ["2.11.4", "2.13.0", "unsupported"],
    ["2.11.3", "2.14.0", "pass-through"],
    ["2.12.0", "2.11.0", "not-an-upgrade"],
    ["2.11.0", "2.11.0+99", "not-an-upgrade"],
    ["2.21.0", "2.22.0", "unknown-target"],
  ];
  it.each(cases)("[U2] %s -> %s is %s", (from, to, kind, detail) => {
    const result = checkUpgradeHop(CATALOG, v(from), v(to));
    expect(result.kind).toBe(kind);
    if (detail && "code" in result) expect(result.code).toBe(detail);
    if (detail && "basis" in result) expect(result.basis).toBe(detail);
    expect(result.message.length).toBeGreaterThan(20);
  });
});

type PathCase = { name: string; method: PlanMethod; from: string; to: string; options?: PathOptions; expect: string[] | string; catalog?: ReleaseCatalog };

function withEdit(edit: (c: ReleaseCatalog) => void): ReleaseCatalog {
  const c = structuredClone(CATALOG);
  edit(c);
  return c;
}

const cases: PathCase[] = [
  // Unclustered: the shortest chain of tested hops [U2].
  { name: "[U2] a tested direct hop is one hop", method: "standalone", from: "2.10.1", to: "2.11.0", expect: ["2.11.0"] },
  { name: "[U2] 2.8 reaches 2.11 directly, as 2.11 was tested from 2.8", method: "standalone", from: "2.8.0", to: "2.11.0", expect: ["2.11.0"] },
  { name: "[U2] 2.8 to 2.14 stops on a 2.11 patch 2.14 was tested from", method: "standalone", from: "2.8.0", to: "2.14.0", expect: ["2.11.1 or 2.11.2", "2.14.0"] },
  { name: "[U2] ties go to the newer stepping stone", method: "standalone", from: "2.11.0", to: "2.14.0", expect: ["2.13.x", "2.14.0"] },
  { name: "[U2] a patch hop reaches a tested starting patch", method: "standalone", from: "2.16.0", to: "2.18.0", expect: ["2.16.1", "2.18.0"] },
  { name: "[U2] 'latest patch of' resolves through the catalog", method: "standalone", from: "2.14.1", to: "2.17.0", expect: ["2.16.1 or a later 2.16 patch", "2.17.0"] },
  { name: "[U2] 2.8 to 2.23 is six tested hops", method: "standalone", from: "2.8.0", to: "2.23.0", expect: ["2.11.1 or 2.11.2", "2.14.x", "2.16.1", "2.18.x", "2.20.x", "2.23.0"] },
  { name: "[U2] 2.11.3+ passes through 2.14 with -o on the way to 2.16", method: "standalone", from: "2.11.3", to: "2.16.0", expect: ["2.14.x", "2.16.0"] },
  { name: "[U2] refuses 2.14 as the final target from 2.11.3", method: "standalone", from: "2.11.3", to: "2.14.0", expect: "pass-through-target" },
  { name: "[U2] refuses a starting patch the notes forbid", method: "standalone", from: "2.11.1", to: "2.12.0", expect: "unsupported-source" },
  { name: "[U2] refuses an untested direct hop without override", method: "standalone", from: "2.7.0", to: "2.11.0", expect: "no-tested-path" },
  { name: "[U2] an admin override allows the untested direct hop", method: "standalone", from: "2.7.0", to: "2.11.0", options: { override: true }, expect: ["2.11.0"] },
  { name: "[U2] an override never forces a forbidden hop", method: "standalone", from: "2.11.1", to: "2.12.0", options: { override: true }, expect: "unsupported-source" },
  { name: "refuses a target the catalog lacks", method: "standalone", from: "2.21.0", to: "2.22.0", expect: "unknown-target" },
  { name: "refuses going backwards", method: "standalone", from: "2.12.0", to: "2.11.0", expect: "not-an-upgrade" },
  { name: "a patch upgrade within a line is one hop", method: "standalone", from: "2.14.0", to: "2.14.2", expect: ["2.14.2"] },
  {
    name: "[U2] a release marked pass-through-only is never a final target",
    method: "standalone", from: "2.14.0", to: "2.15.0", expect: "pass-through-target",
    catalog: withEdit((c) => { findRelease(c, "2.15")!.passThroughOnly = true; }),
  },
  {
    name: "[U2] a pass-through-only release still serves as a stop, with -o",
    method: "standalone", from: "2.14.0", to: "2.18.0", expect: ["2.15.0", "2.18.0"],
    catalog: withEdit((c) => {
      findRelease(c, "2.15")!.passThroughOnly = true;
      findRelease(c, "2.16")!.testedFrom = [anyPatch("2.15")];
    }),
  },
  // Online in-place: one release at a time [O1].
  { name: "[O1] online in-place goes one minor at a time", method: "online-rolling", from: "2.8.0", to: "2.11.0", expect: ["2.9.x", "2.10.x", "2.11.0"] },
  { name: "[O1] lands on the patch the next release was tested from", method: "online-rolling", from: "2.10.0", to: "2.12.0", expect: ["2.11.0", "2.12.0"] },
  { name: "[O1] does not skip 2.12 and 2.13 even where standalone could", method: "online-rolling", from: "2.13.0", to: "2.16.0", expect: ["2.14.x", "2.15.x", "2.16.0"] },
  { name: "[O1] a release missing from the catalog is not a step", method: "online-rolling", from: "2.21.0", to: "2.23.0", expect: ["2.23.0"] },
  { name: "[O1] refuses when a one-minor step is forbidden", method: "online-rolling", from: "2.11.2", to: "2.14.0", expect: "no-tested-path" },
  { name: "[O1] refuses even with override when the step is forbidden", method: "online-rolling", from: "2.11.2", to: "2.14.0", options: { override: true }, expect: "no-tested-path" },
  {
    name: "[O1] an override accepts an untested one-minor step",
    method: "online-rolling", from: "2.9.0", to: "2.10.0", options: { override: true }, expect: ["2.10.0"],
    catalog: withEdit((c) => { findRelease(c, "2.10")!.testedFrom = []; }),
  },
  {
    name: "[O1] without override the untested step is refused",
    method: "online-rolling", from: "2.9.0", to: "2.10.0", expect: "no-tested-path",
    catalog: withEdit((c) => { findRelease(c, "2.10")!.testedFrom = []; }),
  },
  // Offline in-place: LTS targets only; skipping only to 2.15 or later [F1][M2].
  { name: "[F1] 2.11 offline from 2.10.x", method: "offline-in-place", from: "2.10.2", to: "2.11.0", expect: ["2.11.0"] },
  { name: "[F1] 2.11 offline is not supported from 2.9", method: "offline-in-place", from: "2.9.0", to: "2.11.0", expect: "offline-path-not-supported" },
  { name: "[F1][M2] offline refuses a feature-release target", method: "offline-in-place", from: "2.11.0", to: "2.12.0", expect: "target-not-lts" },
  { name: "[M2] offline cannot skip versions below 2.15", method: "offline-in-place", from: "2.12.0", to: "2.14.0", expect: "offline-path-not-supported" },
  {
    name: "[M2] offline refuses a skip below 2.15 even if the catalog lists it",
    method: "offline-in-place", from: "2.12.0", to: "2.14.0", expect: "offline-path-not-supported",
    catalog: withEdit((c) => { findRelease(c, "2.14")!.offlineFrom = [anyPatch("2.12")]; }),
  },
  { name: "[M2] offline may skip versions to 2.15 or later", method: "offline-in-place", from: "2.17.0", to: "2.19.0", expect: ["2.19.0"] },
  { name: "[M2] every offline hop lands on an LTS release", method: "offline-in-place", from: "2.18.0", to: "2.23.0", expect: ["2.19.x", "2.23.0"] },
  // Remove/rebuild follows the unclustered paths [R1].
  { name: "[R1] remove/rebuild follows the unclustered paths", method: "remove-rebuild", from: "2.8.0", to: "2.14.0", expect: ["2.11.1 or 2.11.2", "2.14.0"] },
  // Downgrade [D1][D2].
  { name: "[D2] 2.11.0 downgrades to 2.10.0", method: "downgrade", from: "2.11.0", to: "2.10.0", expect: ["2.10.0"] },
  { name: "[D2] only from the documented patch", method: "downgrade", from: "2.11.1", to: "2.10.0", expect: "downgrade-source-mismatch" },
  { name: "[D2] only to the documented version", method: "downgrade", from: "2.11.0", to: "2.9.0", expect: "downgrade-target-mismatch" },
  { name: "[D2] no downgrade where the notes name none", method: "downgrade", from: "2.12.0", to: "2.11.0", expect: "no-downgrade" },
  { name: "a downgrade must go down", method: "downgrade", from: "2.11.0", to: "2.12.0", expect: "not-a-downgrade" },
  { name: "[D1] refuses to downgrade a clustered node", method: "downgrade", from: "2.11.0", to: "2.10.0", options: { clustered: true }, expect: "clustered-downgrade" },
  { name: "[D1] an admin override downgrades a clustered node", method: "downgrade", from: "2.11.0", to: "2.10.0", options: { clustered: true, override: true }, expect: ["2.10.0"] },
];

describe("computeUpgradePath", () => {
  it.each(cases)("$name", (c) => {
    const result = computeUpgradePath(c.catalog ?? CATALOG, v(c.from), v(c.to), c.method, c.options);
    expect(stops(result)).toEqual(c.expect);
    expect(result.message.length).toBeGreaterThan(10);
  });

  it("[U2] numbers hops in order and chains each hop's start to the previous landing", () => {
    const result = computeUpgradePath(CATALOG, v("2.8.0"), v("2.23.0"), "standalone");
    if (!result.ok) throw new Error(result.message);
    result.hops.forEach((hop, i) => {
      expect(hop.index).toBe(i + 1);
      if (i > 0) expect(hop.from).toEqual(result.hops[i - 1]!.to);
      expect(hop.tested).toBe(true);
    });
  });

  it("[U2] among equally short paths, prefers the stop an archive at hand serves", () => {
    const plain = computeUpgradePath(CATALOG, v("2.11.0"), v("2.14.0"), "standalone");
    const withArchives = computeUpgradePath(CATALOG, v("2.11.0"), v("2.14.0"), "standalone", { archives: [v("2.12.3"), v("2.14.0")] });
    expect(stops(plain)).toEqual(["2.13.x", "2.14.0"]);
    expect(stops(withArchives)).toEqual(["2.12.x", "2.14.0"]);
  });

  it("[U2] never trades a longer path for an archive at hand", () => {
    const result = computeUpgradePath(CATALOG, v("2.8.0"), v("2.14.0"), "standalone", { archives: [v("2.9.0"), v("2.12.0")] });
    expect(stops(result)).toEqual(["2.11.1 or 2.11.2", "2.14.0"]);
  });

  it("[U2] marks only the pass-through hop with -o", () => {
    const result = computeUpgradePath(CATALOG, v("2.11.3"), v("2.16.0"), "standalone");
    expect(result.ok && result.hops.map((h) => h.forceFlag)).toEqual([true, false]);
  });

  it("[U2] marks an overridden hop as untested", () => {
    const result = computeUpgradePath(CATALOG, v("2.7.0"), v("2.11.0"), "standalone", { override: true });
    expect(result.ok && result.hops[0]!.tested).toBe(false);
  });

  it("[D1][D7] a forced downgrade of a clustered node carries -o", () => {
    const result = computeUpgradePath(CATALOG, v("2.11.0"), v("2.10.0"), "downgrade", { clustered: true, override: true });
    expect(result.ok && result.hops[0]).toMatchObject({ direction: "downgrade", forceFlag: true });
  });

  it("[D3] the downgrade path says data will be wiped", () => {
    const result = computeUpgradePath(CATALOG, v("2.11.0"), v("2.10.0"), "downgrade");
    expect(result.message).toMatch(/wipes all data/);
  });
});

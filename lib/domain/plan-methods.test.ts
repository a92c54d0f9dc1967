import { describe, expect, it } from "vitest";
import { listMethods, METHOD_TRAITS, type MethodOption, type MethodTarget } from "./plan-methods";
import { DEFAULT_RELEASE_CATALOG as CATALOG } from "./release-catalog";
import { v } from "./test-helpers";
import type { PlanMethod } from "./upgrade-path-types";

const summary = (options: MethodOption[]) =>
  Object.fromEntries(options.map((o) => [o.method, o.available ? (o.suggested ? "suggested" : "available") : o.code]));

const target = (clustered: boolean, versions: string[]): MethodTarget => ({ clustered, nodeCount: versions.length, versions: versions.map(v) });

describe("listMethods", () => {
  const cases: { name: string; target: MethodTarget; to: string; override?: boolean; expect: Partial<Record<PlanMethod, string>> }[] = [
    {
      name: "an unclustered appliance gets the standalone upgrade",
      target: target(false, ["2.10.0"]), to: "2.11.0",
      expect: { standalone: "suggested", "online-rolling": "not-clustered", "offline-in-place": "not-clustered", "remove-rebuild": "not-clustered", downgrade: "not-a-downgrade" },
    },
    {
      name: "[M1][M2][M3] a level cluster gets all three cluster methods, online suggested",
      target: target(true, ["2.10.0", "2.10.0", "2.10.0"]), to: "2.11.0",
      expect: { standalone: "clustered", "online-rolling": "suggested", "offline-in-place": "available", "remove-rebuild": "available", downgrade: "not-a-downgrade" },
    },
    {
      name: "[M2] offline in-place is refused for a feature-release target",
      target: target(true, ["2.11.0", "2.11.0"]), to: "2.12.0",
      expect: { "online-rolling": "suggested", "offline-in-place": "target-not-lts", "remove-rebuild": "available" },
    },
    {
      name: "[F8] nodes on different versions: offline refused, a levelling method suggested",
      target: target(true, ["2.10.0", "2.11.0", "2.10.0"]), to: "2.11.0",
      expect: { "online-rolling": "suggested", "offline-in-place": "mixed-versions", "remove-rebuild": "available" },
    },
    {
      name: "[F8] when online cannot level them, remove/rebuild is suggested",
      target: target(true, ["2.11.2", "2.13.0"]), to: "2.14.0",
      expect: { "online-rolling": "no-tested-path", "offline-in-place": "mixed-versions", "remove-rebuild": "suggested" },
    },
    {
      name: "[D1] an unclustered 2.11.0 may be downgraded",
      target: target(false, ["2.11.0"]), to: "2.10.0",
      expect: { standalone: "not-an-upgrade", downgrade: "suggested" },
    },
    {
      name: "[D1] a clustered node is not offered a downgrade",
      target: target(true, ["2.11.0", "2.11.0"]), to: "2.10.0",
      expect: { downgrade: "clustered-downgrade" },
    },
    {
      name: "[D1] with an admin override a clustered node may be downgraded",
      target: target(true, ["2.11.0", "2.11.0"]), to: "2.10.0", override: true,
      expect: { downgrade: "available" },
    },
    {
      name: "no observed version: nothing is available",
      target: { clustered: false, nodeCount: 1, versions: [] }, to: "2.11.0",
      expect: { standalone: "no-version-observed", downgrade: "no-version-observed" },
    },
  ];
  it.each(cases)("$name", (c) => {
    const options = listMethods(CATALOG, c.target, v(c.to), { override: c.override });
    expect(options).toHaveLength(5);
    expect(summary(options)).toMatchObject(c.expect);
    expect(options.filter((o) => o.suggested).length).toBeLessThanOrEqual(1);
    for (const o of options) expect(o.message.length).toBeGreaterThan(10);
  });

  it("[F8] says the suggested method also levels the nodes", () => {
    const options = listMethods(CATALOG, target(true, ["2.10.0", "2.11.0"]), v("2.11.0"));
    const online = options.find((o) => o.method === "online-rolling");
    expect(online?.message).toMatch(/same version \[F8\]/);
  });
});

describe("METHOD_TRAITS, the seed's table", () => {
  it.each([
    ["online-rolling", true, true, "no", "all", false, "M1"],
    ["offline-in-place", true, false, "to-2.15-or-later", "lts-only", true, "M2"],
    ["remove-rebuild", false, false, "yes", "all", false, "M3"],
  ] as const)("[%s] config kept %s, clients served %s, skip %s, releases %s, one command %s ([%s])", (method, config, clients, skip, types, oneCommand, rule) => {
    const t = METHOD_TRAITS[method];
    expect([t.configurationPreserved, t.availableToClientsThroughout, t.skipVersions, t.releaseTypes, t.oneCommandForAllNodes]).toEqual([config, clients, skip, types, oneCommand]);
    expect(t.ruleIds).toContain(rule);
  });

  it("[M1][M3] online in-place and remove/rebuild use ks_upgrade.sh; [M2] offline uses cmupdate", () => {
    expect(METHOD_TRAITS["online-rolling"].vendorTool).toMatch(/ks_upgrade\.sh/);
    expect(METHOD_TRAITS["remove-rebuild"].vendorTool).toMatch(/ks_upgrade\.sh/);
    expect(METHOD_TRAITS["offline-in-place"].vendorTool).toMatch(/cmupdate/);
  });

  it("[D3] a downgrade does not preserve configuration", () => {
    expect(METHOD_TRAITS.downgrade.configurationPreserved).toBe(false);
  });
});

// Which PlanMethods fit an appliance or cluster, and why the others do not. The traits are the
// seed's table of cluster methods [M1][M2][M3], plus the unclustered upgrade and the downgrade.

import type { ReleaseCatalog } from "./release-catalog";
import { computeUpgradePath, type UpgradePathResult } from "./upgrade-path";
import { PLAN_METHODS, type PlanMethod } from "./upgrade-path-types";
import { compareVersions, formatVersion, sameVersion, type Version } from "./version";

export interface MethodTraits {
  configurationPreserved: boolean;
  availableToClientsThroughout: boolean;
  skipVersions: "no" | "yes" | "to-2.15-or-later";
  releaseTypes: "all" | "lts-only";
  vendorTool: string;
  oneCommandForAllNodes: boolean;
  forClusters: boolean;
  ruleIds: string[];
}

export const METHOD_TRAITS: Record<PlanMethod, MethodTraits> = {
  standalone: {
    configurationPreserved: true, availableToClientsThroughout: false, skipVersions: "yes", releaseTypes: "all",
    vendorTool: "ks_upgrade.sh on the appliance", oneCommandForAllNodes: false, forClusters: false, ruleIds: ["U2", "U8"],
  },
  "online-rolling": {
    configurationPreserved: true, availableToClientsThroughout: true, skipVersions: "no", releaseTypes: "all",
    vendorTool: "ks_upgrade.sh on the appliance", oneCommandForAllNodes: false, forClusters: true, ruleIds: ["M1"],
  },
  "offline-in-place": {
    configurationPreserved: true, availableToClientsThroughout: false, skipVersions: "to-2.15-or-later", releaseTypes: "lts-only",
    vendorTool: "cmupdate on a client workstation (the console performs its steps)", oneCommandForAllNodes: true, forClusters: true, ruleIds: ["M2"],
  },
  "remove-rebuild": {
    configurationPreserved: false, availableToClientsThroughout: false, skipVersions: "yes", releaseTypes: "all",
    vendorTool: "ks_upgrade.sh on the appliance", oneCommandForAllNodes: false, forClusters: true, ruleIds: ["M3"],
  },
  // A downgrade resets the appliance: nothing but existing backup files survives [D3].
  downgrade: {
    configurationPreserved: false, availableToClientsThroughout: false, skipVersions: "no", releaseTypes: "all",
    vendorTool: "ks_downgrade.sh on the appliance", oneCommandForAllNodes: false, forClusters: false, ruleIds: ["D1", "D3"],
  },
};

export interface MethodTarget {
  clustered: boolean;
  nodeCount: number;
  versions: Version[]; // one per node
}

export type MethodOption =
  | { method: PlanMethod; traits: MethodTraits; available: true; suggested: boolean; path: Extract<UpgradePathResult, { ok: true }>; message: string }
  | { method: PlanMethod; traits: MethodTraits; available: false; suggested: false; code: string; message: string };

export function listMethods(
  catalog: ReleaseCatalog, target: MethodTarget, to: Version, options: { override?: boolean; archives?: readonly Version[] } = {},
): MethodOption[] {
  const distinct = target.versions.filter((v, i, all) => all.findIndex((w) => sameVersion(v, w)) === i).sort(compareVersions);
  const lowest = distinct[0];
  const mixed = distinct.length > 1;
  const options_ = PLAN_METHODS.map((method): MethodOption => {
    const traits = METHOD_TRAITS[method];
    const no = (code: string, message: string): MethodOption => ({ method, traits, available: false, suggested: false, code, message });
    if (!lowest) return no("no-version-observed", "No node's version has been observed yet; refresh the appliance first.");
    if (traits.forClusters && !target.clustered) return no("not-clustered", "This method is for clusters; the appliance is unclustered.");
    if (method === "standalone" && target.clustered) return no("clustered", "The appliance is in a cluster; choose a cluster method [M1][M2][M3].");
    if (method === "offline-in-place" && mixed) {
      return no("mixed-versions", `Nodes run ${distinct.map(formatVersion).join(", ")}; offline in-place needs one starting version. Level them with online in-place or remove/rebuild first [F8].`);
    }
    // Remove/rebuild upgrades each node from its own version [R8]; nodes already on target need nothing.
    const behind = distinct.filter((v) => compareVersions(v, to) !== 0);
    const froms = method === "remove-rebuild" && behind.length > 0 ? behind : [lowest];
    let path: UpgradePathResult | undefined;
    for (const from of froms) {
      path = computeUpgradePath(catalog, from, to, method, { override: options.override, clustered: target.clustered, archives: options.archives });
      if (!path.ok) return no(path.code, path.message);
    }
    if (!path?.ok) return no("no-path", "No path was computed.");
    const levels = mixed && method !== "downgrade" ? " It also brings every node to the same version [F8]." : "";
    return { method, traits, available: true, suggested: false, path, message: `${path.message}${levels}` };
  });
  return markSuggestion(options_, target.clustered, mixed);
}

/** One suggestion: keep clients served when possible; with mixed versions, level the nodes [F8]. */
function markSuggestion(options: MethodOption[], clustered: boolean, mixed: boolean): MethodOption[] {
  const order: PlanMethod[] = !clustered
    ? ["standalone", "downgrade"]
    : mixed
      ? ["online-rolling", "remove-rebuild"]
      : ["online-rolling", "offline-in-place", "remove-rebuild"];
  const pick = order.find((m) => options.some((o) => o.method === m && o.available));
  return options.map((o) => (o.available && o.method === pick ? { ...o, suggested: true } : o));
}

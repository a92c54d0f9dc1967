// Which clusters and standalone appliances a campaign's selection takes: every tag (AND), any of
// the versions, any of the models, any of the names (globs with `*`). An empty field takes all.

import { parseReleaseLine } from "./release-line";
import { parseVersion, sameVersion } from "./version";

export interface CampaignSelection {
  tags: readonly string[];
  versions: readonly string[];
  models: readonly string[];
  names: readonly string[];
}

/** What a selection is matched against: a cluster (all its nodes) or one standalone appliance. */
export interface SelectableTarget {
  name: string;
  /** A cluster target also answers to its nodes' names. */
  nodeNames: readonly string[];
  tags: readonly string[];
  versions: readonly (string | null)[];
  models: readonly (string | null)[];
}

export function matchesSelection(target: SelectableTarget, selection: CampaignSelection): boolean {
  if (!selection.tags.every((t) => target.tags.includes(t))) return false;
  if (selection.versions.length && !target.versions.some((v) => v !== null && selection.versions.some((s) => versionMatches(v, s)))) return false;
  if (selection.models.length && !target.models.some((m) => m !== null && selection.models.some((s) => modelMatches(m, s)))) return false;
  if (selection.names.length) {
    const names = [target.name, ...target.nodeNames];
    if (!selection.names.some((pattern) => names.some((n) => globMatches(pattern, n)))) return false;
  }
  return true;
}

/** "2.10" takes any 2.10.x; "2.10.0" any build of it; "2.10.0+12807" that build only. */
export function versionMatches(version: string, wanted: string): boolean {
  const v = parseVersion(version);
  if (!v) return false;
  const line = parseReleaseLine(wanted);
  if (line) return v.major === line.major && v.minor === line.minor;
  const w = parseVersion(wanted);
  return w !== null && sameVersion(v, w);
}

/** "k170v" takes "CipherTrust Manager k170v": the whole model or one of its words, any case. */
export function modelMatches(model: string, wanted: string): boolean {
  const m = model.trim().toLowerCase();
  const w = wanted.trim().toLowerCase();
  return m === w || m.split(/\s+/).includes(w);
}

/** `*` matches any run of characters (none included); everything else literally, any case. */
export function globMatches(pattern: string, name: string): boolean {
  const source = pattern.split("*").map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*");
  return new RegExp(`^${source}$`, "i").test(name);
}

/** A cluster's target carries the cluster's tags and the tags every one of its nodes has. */
export function clusterTargetTags(clusterTags: readonly string[], nodeTags: readonly (readonly string[])[]): string[] {
  const common = nodeTags.length ? nodeTags.reduce<string[]>((acc, tags) => acc.filter((t) => tags.includes(t)), [...nodeTags[0]!]) : [];
  return [...new Set([...clusterTags, ...common])].sort();
}

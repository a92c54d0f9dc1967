// A campaign's waves: the canary first (targets with a tag, named targets, or else the first N),
// then the rest in waves of a fixed size or one wave per value of a tag key. Targets are taken in
// name order, so the same fleet and configuration always give the same waves.

import { globMatches } from "./campaign-selection";

export interface WaveTarget {
  key: string;
  name: string;
  tags: readonly string[];
}

export interface WaveSplitConfig {
  canary: { tag?: string; names: readonly string[]; size: number };
  split: { by: "size"; size: number } | { by: "tag"; key: string };
}

export interface Wave {
  index: number;
  name: string;
  canary: boolean;
  targetKeys: string[];
}

export type WaveBuild = { ok: true; waves: Wave[] } | { ok: false; code: "no-targets" | "canary-empty" | "canary-names-unknown"; message: string };

export function buildWaves(targets: readonly WaveTarget[], config: WaveSplitConfig): WaveBuild {
  if (targets.length === 0) return { ok: false, code: "no-targets", message: "No target can be planned, so there is no wave to build." };
  const ordered = [...targets].sort((a, b) => compareText(a.name, b.name) || compareText(a.key, b.key));
  const { tag, names, size } = config.canary;
  const unknown = names.filter((pattern) => !ordered.some((t) => globMatches(pattern, t.name)));
  if (unknown.length) return { ok: false, code: "canary-names-unknown", message: `Canary ${unknown.join(", ")}: no plannable target has that name. Name targets of this campaign, or choose the canary by tag.` };
  const chosen = tag || names.length
    ? ordered.filter((t) => (tag !== undefined && t.tags.includes(tag)) || names.some((pattern) => globMatches(pattern, t.name)))
    : ordered.slice(0, size);
  if (chosen.length === 0) return { ok: false, code: "canary-empty", message: `No plannable target carries the canary tag ${tag}. Tag a lab target ${tag}, or name the canary targets.` };
  const canaryKeys = new Set(chosen.map((t) => t.key));
  const rest = ordered.filter((t) => !canaryKeys.has(t.key));
  const waves: Wave[] = [{ index: 0, name: canaryName(config), canary: true, targetKeys: chosen.map((t) => t.key) }];
  for (const group of splitRest(rest, config.split)) {
    waves.push({ index: waves.length, name: `wave ${waves.length}${group.label ? ` (${group.label})` : ""}`, canary: false, targetKeys: group.targets.map((t) => t.key) });
  }
  return { ok: true, waves };
}

function splitRest(rest: WaveTarget[], split: WaveSplitConfig["split"]): { label: string | null; targets: WaveTarget[] }[] {
  if (split.by === "size") {
    const groups: { label: null; targets: WaveTarget[] }[] = [];
    for (let i = 0; i < rest.length; i += split.size) groups.push({ label: null, targets: rest.slice(i, i + split.size) });
    return groups;
  }
  const prefix = `${split.key}=`;
  const byValue = new Map<string, WaveTarget[]>();
  for (const t of rest) {
    const value = t.tags.find((x) => x.startsWith(prefix))?.slice(prefix.length) ?? "";
    byValue.set(value, [...(byValue.get(value) ?? []), t]);
  }
  // Targets without the key go last, in one wave of their own.
  const values = [...byValue.keys()].sort((a, b) => (a === "" ? 1 : b === "" ? -1 : compareText(a, b)));
  return values.map((value) => ({ label: value === "" ? `no ${split.key} tag` : `${prefix}${value}`, targets: byValue.get(value)! }));
}

function canaryName(config: WaveSplitConfig): string {
  if (config.canary.tag) return `canary (${config.canary.tag})`;
  if (config.canary.names.length) return "canary (named)";
  return "canary";
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

import { describe, expect, it } from "vitest";
import { clusterTargetTags, globMatches, matchesSelection, modelMatches, versionMatches, type CampaignSelection, type SelectableTarget } from "./campaign-selection";

const none: CampaignSelection = { tags: [], versions: [], models: [], names: [] };
const target: SelectableTarget = {
  name: "cm-par", nodeNames: ["cm-par-01", "cm-par-02"], tags: ["env=production", "site=paris"],
  versions: ["2.10.0+12807", "2.11.0+13003"], models: ["CipherTrust Manager k170v", null],
};

describe("matchesSelection", () => {
  const cases: [string, Partial<CampaignSelection>, boolean][] = [
    ["an empty selection takes everything", {}, true],
    ["every tag must be there (AND)", { tags: ["site=paris", "env=production"] }, true],
    ["one missing tag excludes", { tags: ["site=paris", "env=lab"] }, false],
    ["a release line takes any patch of it", { versions: ["2.10"] }, true],
    ["any node's version counts", { versions: ["2.11.0+13003"] }, true],
    ["versions are ANY", { versions: ["2.9", "2.11"] }, true],
    ["an absent version excludes", { versions: ["2.12"] }, false],
    ["a model word matches", { models: ["K170V"] }, true],
    ["an absent model excludes", { models: ["k570"] }, false],
    ["the cluster's name matches", { names: ["cm-par"] }, true],
    ["a glob matches a node's name, taking its cluster", { names: ["cm-par-0*"] }, true],
    ["names are ANY", { names: ["cm-lon-*", "cm-p*"] }, true],
    ["an unknown name excludes", { names: ["cm-lon-*"] }, false],
    ["fields combine as AND", { tags: ["site=paris"], names: ["cm-lon-*"] }, false],
  ];
  it.each(cases)("%s", (_n, sel, expected) => {
    expect(matchesSelection(target, { ...none, ...sel })).toBe(expected);
  });
});

describe("pieces", () => {
  it("versions: line, patch and exact build", () => {
    expect(versionMatches("2.10.0+12807", "2.10")).toBe(true);
    expect(versionMatches("2.10.1+1", "2.10.0")).toBe(false);
    expect(versionMatches("2.10.0+12807", "2.10.0")).toBe(true);
    expect(versionMatches("2.10.0+12807", "2.10.0+99")).toBe(false);
    expect(versionMatches("garbage", "2.10")).toBe(false);
  });
  it("globs are anchored, case-blind and literal except *", () => {
    expect(globMatches("cm-*", "CM-LON-01")).toBe(true);
    expect(globMatches("cm.lon", "cmxlon")).toBe(false);
    expect(globMatches("*-01", "cm-lon-01")).toBe(true);
    expect(globMatches("lon", "cm-lon-01")).toBe(false);
  });
  it("models: the whole text or one word", () => {
    expect(modelMatches("CipherTrust Manager k170v", "ciphertrust manager k170v")).toBe(true);
    expect(modelMatches("CipherTrust Manager k170v", "k17")).toBe(false);
  });
  it("a cluster target carries its own tags and those common to all its nodes", () => {
    expect(clusterTargetTags(["site=paris"], [["env=lab", "owner=pki"], ["env=lab"]])).toEqual(["env=lab", "site=paris"]);
    expect(clusterTargetTags([], [])).toEqual([]);
  });
});

import { describe, expect, it } from "vitest";
import { classifyCompliance, emptyComplianceCounts, resolveGoldenVersion, COMPLIANCE_STATES, type Compliance, type ComplianceNode } from "./compliance";

const node = (name: string, version: string | null, status = "ok"): ComplianceNode => ({ name, version, status });

describe("classifyCompliance", () => {
  const cases: [string, ComplianceNode[], string | null, Compliance][] = [
    ["a standalone on its golden version", [node("a", "2.11.0+13003")], "2.11.0+13003", "up-to-date"],
    ["builds do not matter against the golden version", [node("a", "2.11.0+13010")], "2.11.0+13003", "up-to-date"],
    ["an older patch is behind", [node("a", "2.11.0+13003")], "2.11.1", "behind"],
    ["2.9 is behind 2.10 (numbers, not text)", [node("a", "2.9.0+11937")], "2.10.0+12807", "behind"],
    ["a newer release is ahead", [node("a", "2.12.0+1")], "2.11.0+13003", "ahead"],
    ["no golden version", [node("a", "2.10.0+12807")], null, "no-golden"],
    ["an unparsable golden version counts as none", [node("a", "2.10.0+12807")], "latest", "no-golden"],
    ["an unreachable node wins over everything", [node("a", "2.10.0"), node("b", "2.11.0", "unreachable")], "2.11.0", "unreachable"],
    ["a changed identity is unreachable", [node("a", "2.11.0", "trust-changed")], "2.11.0", "unreachable"],
    ["a version never read is unreachable", [node("a", null)], "2.11.0", "unreachable"],
    ["a version that does not parse is unreachable", [node("a", "garbage")], null, "unreachable"],
    ["an unknown status with a known version is judged", [node("a", "2.11.0", "unknown")], "2.11.0", "up-to-date"],
    ["a cluster on two releases is mixed", [node("a", "2.10.0+12807"), node("b", "2.11.0+13003"), node("c", "2.10.0+12807")], "2.11.0", "mixed"],
    ["mixed needs no golden version", [node("a", "2.10.0"), node("b", "2.11.0")], null, "mixed"],
    ["two builds of one release are not mixed", [node("a", "2.10.0+12807"), node("b", "2.10.0")], "2.10.0", "up-to-date"],
    ["a whole cluster behind", [node("a", "2.10.0"), node("b", "2.10.0"), node("c", "2.10.0")], "2.11.0", "behind"],
    ["no node at all", [], "2.11.0", "unreachable"],
  ];
  it.each(cases)("%s", (_name, nodes, golden, expected) => {
    expect(classifyCompliance(nodes, golden).compliance).toBe(expected);
  });

  it("says what was found and what to do", () => {
    expect(classifyCompliance([node("cm-a", "2.10.0+12807")], "2.11.0+13003").reason).toBe("Runs 2.10.0+12807, older than the golden 2.11.0+13003: plan an upgrade.");
    expect(classifyCompliance([node("cm-a", "2.10.0"), node("cm-b", "2.11.0", "unreachable")], null).reason).toBe("cm-b is unreachable.");
    expect(classifyCompliance([node("cm-a", "2.10.0"), node("cm-b", "2.11.0")], null).reason).toBe("Nodes run cm-a 2.10.0, cm-b 2.11.0.");
    expect(classifyCompliance([node("cm-a", null)], null).reason).toContain("cm-a was never read; refresh it");
    expect(classifyCompliance([node("cm-a", "2.10.0")], null).reason).toContain("set a golden version");
  });
});

describe("resolveGoldenVersion", () => {
  const rules = [
    { tag: "site=paris", version: "2.10.0+12807" },
    { tag: "env=production", version: "2.11.0+13003" },
    { tag: "env=lab", version: "2.12.0+1" },
    { tag: "broken=yes", version: "not-a-version" },
  ];
  const cases: [string, string | null, string[], ReturnType<typeof resolveGoldenVersion>][] = [
    ["its own golden version first", "2.9.0+11937", ["env=lab"], { version: "2.9.0+11937", source: "own", tag: null }],
    ["else the rule of its tag", null, ["site=paris"], { version: "2.10.0+12807", source: "rule", tag: "site=paris" }],
    ["with several rules the highest version wins (numbers, not text)", null, ["site=paris", "env=production"], { version: "2.11.0+13003", source: "rule", tag: "env=production" }],
    ["a tag without a rule gives nothing", null, ["site=tokyo"], null],
    ["no tags, no own: none", null, [], null],
    ["a rule that does not parse is ignored", null, ["broken=yes"], null],
    ["an own version that does not parse falls back to the rules", "soon", ["env=lab"], { version: "2.12.0+1", source: "rule", tag: "env=lab" }],
  ];
  it.each(cases)("%s", (_name, own, tags, expected) => {
    expect(resolveGoldenVersion(own, tags, rules)).toEqual(expected);
  });

  it("breaks ties between builds of one release on the text, then the tag", () => {
    const tied = [{ tag: "b=1", version: "2.11.0+13003" }, { tag: "a=1", version: "2.11.0+13003" }, { tag: "c=1", version: "2.11.0+12000" }];
    expect(resolveGoldenVersion(null, ["a=1", "b=1", "c=1"], tied)).toEqual({ version: "2.11.0+13003", source: "rule", tag: "a=1" });
  });
});

it("counts start at zero for every state", () => {
  expect(Object.keys(emptyComplianceCounts())).toEqual([...COMPLIANCE_STATES]);
  expect(Object.values(emptyComplianceCounts()).every((n) => n === 0)).toBe(true);
});

// Route files keep no zod schemas of their own: every input schema lives in lib/, next to the
// function the route calls, where api-input.property.test.ts feeds it arbitrary input. This test
// keeps it so for new routes: no zod in app/api/**/route.ts, and every *Schema a route imports
// has its row in the property test's CASES.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../..");
const API_DIR = path.join(ROOT, "app/api");
const PROPERTY_TEST = path.join(import.meta.dirname, "api-input.property.test.ts");

function routeFiles(): string[] {
  return (fs.readdirSync(API_DIR, { recursive: true, encoding: "utf8" }) as string[])
    .filter((f) => path.basename(f) === "route.ts")
    .map((f) => path.join("app/api", f).split(path.sep).join("/"))
    .sort();
}

/** Why a source builds a zod schema itself, or null. `\b` keeps "ks_upgrade...tar.gz.gpg" out. */
function inlineZod(source: string): string | null {
  if (/\bfrom\s+["']zod(\/[^"']*)?["']|\b(?:require|import)\(\s*["']zod["']\s*\)/.test(source)) return 'imports from "zod"';
  const use = /\bz\.[A-Za-z_$]+/.exec(source);
  return use ? `uses ${use[0]}` : null;
}

/** Value (not type-only) names ending in Schema imported by a source, by their exported name. */
function importedSchemas(source: string): string[] {
  const names: string[] = [];
  for (const m of source.matchAll(/\bimport\s+(type\s+)?\{([^}]*)\}\s*from\s*["'][^"']+["']/g)) {
    if (m[1]) continue;
    for (const spec of m[2]!.split(",")) {
      const parts = spec.trim().split(/\s+as\s+/);
      if (parts[0]!.startsWith("type ")) continue;
      const name = parts[0]!.trim();
      if (/Schema$/.test(name)) names.push(name);
    }
  }
  return names;
}

/** The names in the property test's CASES rows: `["Name", Name, example]`, name and value the same. */
function caseNames(source: string): string[] {
  return [...source.matchAll(/^\s*\["(\w+)",\s*(\w+),/gm)].filter((m) => m[1] === m[2]).map((m) => m[1]!);
}

describe("[API] route files keep their input schemas in lib/", () => {
  const files = routeFiles();
  const sources = files.map((f) => [f, fs.readFileSync(path.join(ROOT, f), "utf8")] as const);

  it("finds the API route files", () => {
    // A wrong directory would make every check below pass on nothing.
    expect(files.length).toBeGreaterThan(20);
    expect(files).toContain("app/api/plans/[id]/abort/route.ts");
  });

  it("no route file builds a zod schema inline", () => {
    const offenders = sources.flatMap(([f, src]) => {
      const why = inlineZod(src);
      return why ? [`${f} ${why}: move the schema to lib/ and add it to CASES in lib/http/api-input.property.test.ts`] : [];
    });
    expect(offenders).toEqual([]);
  });

  it("every *Schema a route imports is in the property test's CASES", () => {
    const cases = new Set(caseNames(fs.readFileSync(PROPERTY_TEST, "utf8")));
    expect(cases.size).toBeGreaterThan(20);
    const imported = sources.flatMap(([f, src]) => importedSchemas(src).map((name) => ({ f, name })));
    expect(imported.length).toBeGreaterThan(20);
    const missing = imported.filter(({ name }) => !cases.has(name)).map(({ f, name }) => `${f} imports ${name}, which has no row in CASES (lib/http/api-input.property.test.ts)`);
    expect(missing).toEqual([]);
  });

  it("the checks themselves see what they are meant to see", () => {
    expect(inlineZod('import { z } from "zod";\nconst Body = z.object({});')).toBe('imports from "zod"');
    expect(inlineZod("const Body = z.object({ a: z.string() });")).toBe("uses z.object");
    expect(inlineZod('throw new AppError("bad-input", "name: e.g. ?name=ks_upgrade_...tar.gz.gpg");')).toBeNull();
    expect(importedSchemas('import { a, BSchema, type CSchema, D as ESchema } from "x";\nimport type { FSchema } from "y";\nimport {\n  GSchema,\n  h,\n} from "z";')).toEqual(["BSchema", "GSchema"]);
    expect(caseNames('const CASES = [\n  ["ASchema", ASchema, {}],\n  ["B", Other, 1],\n];')).toEqual(["ASchema"]);
  });
});
